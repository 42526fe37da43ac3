"""``digigov signing_issue agency <organ code>`` / ``signing_issue officer <login>``."""

from django.core.management.base import BaseCommand, CommandError

from digigov.core.errors import DomainError
from digigov.signing import pki, services

from ._holders import holder


class Command(BaseCommand):
    help = "Issue a document-signing certificate from the local CA to an agency or an officer."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["agency", "officer"])
        parser.add_argument("ref", help="The agency's organ code, or the officer's login.")
        parser.add_argument("--key-type", choices=pki.KEY_TYPES, default="rsa")
        parser.add_argument("--days", type=int, default=730, help="Validity in days.")

    def handle(self, *args, kind, ref, key_type, days, **options):
        if days < 1 or days > 3650:
            raise CommandError("--days must be between 1 and 3650.")
        try:
            credential = services.issue_credential(**holder(kind, ref), key_type=key_type,
                                                   days=days)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(f"Certificate issued: {credential.subject}")
        self.stdout.write(f"Serial {credential.serial}, valid until "
                          f"{credential.not_after:%Y-%m-%d}.")
