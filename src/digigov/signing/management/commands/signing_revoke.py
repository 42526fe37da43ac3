"""``digigov signing_revoke``: revoke a signing certificate (lost key, holder gone, wrong data)."""

from django.core.management.base import BaseCommand, CommandError

from digigov.core.errors import DomainError
from digigov.signing import services
from digigov.signing.models import SigningCredential


class Command(BaseCommand):
    help = ("Revoke a signing certificate, named by the start of its SHA-256 fingerprint "
            "(see signing_list). It signs nothing more and the local CA's revocation list "
            "(/xac-thuc/crl/) names it.")

    def add_arguments(self, parser):
        parser.add_argument("fingerprint", help="the fingerprint or its first characters (8+)")
        parser.add_argument("--reason", required=True, help="why it is revoked")

    def handle(self, *args, fingerprint, reason, **options):
        prefix = fingerprint.strip().lower()
        if len(prefix) < 8:
            raise CommandError("Give at least the first 8 characters of the fingerprint.")
        matches = list(SigningCredential.objects.filter(fingerprint__startswith=prefix)[:2])
        if not matches:
            raise CommandError(f"No signing certificate has a fingerprint starting {prefix}.")
        if len(matches) > 1:
            raise CommandError(f"Several certificates start with {prefix}: give more of it.")
        try:
            credential = services.revoke_credential(matches[0], reason=reason)
        except DomainError as exc:
            raise CommandError(f"Nothing changed: {exc.message}") from None
        self.stdout.write(f"Revoked {credential.fingerprint[:16]} {credential.subject} "
                          f"at {credential.revoked_at:%Y-%m-%d %H:%M:%S} UTC.")
