"""``digigov signing_ca init``: this instance's own certificate authority."""

from django.core.management.base import BaseCommand, CommandError

from digigov.core.errors import DomainError
from digigov.signing import pki, services


class Command(BaseCommand):
    help = ("Create the local certificate authority that issues agency and officer "
            "certificates (for a demo or a closed network).")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        init = actions.add_parser("init", help="Create the local CA (once).")
        init.add_argument("--name", default="digigov CA nội bộ", help="The CA's common name.")
        init.add_argument("--key-type", choices=pki.KEY_TYPES, default="rsa",
                          help="rsa (2048 bits, default) or ec (P-256).")
        init.add_argument("--years", type=int, default=10, help="Validity in years.")
        actions.add_parser("export", help="Print the local CA's certificate (PEM).")

    def handle(self, *args, action, **options):
        if action == "export":
            return self._export()
        return self._init(**options)

    def _export(self):
        root = services.local_ca()
        if root is None:
            raise CommandError("There is no local CA yet: run 'signing_ca init'.")
        cert = pki.load_certificate(bytes(root.certificate))
        self.stdout.write(cert.public_bytes(pki.serialization.Encoding.PEM).decode(), ending="")

    def _init(self, *, name, key_type, years, **options):
        if years < 1 or years > 30:
            raise CommandError("--years must be between 1 and 30.")
        try:
            root = services.create_local_ca(name, key_type=key_type, years=years)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(f"Local CA created: {root.subject}")
        self.stdout.write(f"SHA-256 fingerprint: {root.fingerprint}")
        self.stdout.write(f"Valid until {root.not_after:%Y-%m-%d}.")
