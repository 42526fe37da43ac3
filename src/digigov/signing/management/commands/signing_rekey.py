"""``digigov signing_rekey``: re-encrypt stored keys under the current secret."""

from django.core.management.base import BaseCommand, CommandError

from digigov.signing import keystore, services


class Command(BaseCommand):
    help = ("After changing SIGNING_KEY_ENCRYPTION_KEY (with the former value in "
            "SIGNING_KEY_ENCRYPTION_KEY_PREVIOUS), re-encrypt every stored private key.")

    def handle(self, *args, **options):
        try:
            count = services.rekey_all()
        except keystore.KeyDecryptionError as exc:
            raise CommandError(f"Nothing changed: {exc}") from None
        self.stdout.write(f"{count} key(s) re-encrypted under the current secret.")
