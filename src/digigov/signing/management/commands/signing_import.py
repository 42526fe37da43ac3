"""``digigov signing_import``: a real certificate for an agency or an officer, or a root."""

import getpass
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from digigov.core.errors import DomainError
from digigov.signing import pki, services

from ._holders import holder

PASSWORD_ENV = "SIGNING_PKCS12_PASSWORD"  # noqa: S105 - a variable name, not a password


class Command(BaseCommand):
    help = ("Import a PKCS#12 file (certificate and key) for an agency or an officer, "
            "register a certificate whose key stays on a PKCS#11 token, or trust a root CA.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["agency", "officer", "root"])
        parser.add_argument("ref", nargs="?",
                            help="The agency's organ code or the officer's login (not for root).")
        parser.add_argument("file", help="The .p12/.pfx file; a PEM/DER certificate for "
                                         "root or with --pkcs11-key-label.")
        parser.add_argument("--password-env", default=PASSWORD_ENV,
                            help=f"Environment variable holding the PKCS#12 password "
                                 f"(default {PASSWORD_ENV}); else it is asked for.")
        parser.add_argument("--pkcs11-key-label",
                            help="The key stays on the configured PKCS#11 token under this "
                                 "label; FILE is then its certificate.")
        parser.add_argument("--label", default="", help="A name for an imported root.")

    def handle(self, *args, kind, ref, file, password_env, pkcs11_key_label, label, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        data = path.read_bytes()
        try:
            if kind == "root":
                root = services.add_trust_root(data, label=label)
                self.stdout.write(f"Trusted root added: {root.subject} ({root.fingerprint})")
                return
            if not ref:
                raise CommandError("Give the agency's organ code or the officer's login.")
            who = holder(kind, ref)
            if pkcs11_key_label:
                credential = services.register_pkcs11(data, pkcs11_key_label, **who)
            else:
                credential = services.import_pkcs12(data, self._password(password_env), **who)
        except pki.CertificateRefused as exc:
            raise CommandError(f"Refused: {exc}") from None
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(f"Certificate imported: {credential.subject}")
        self.stdout.write(f"Issued by {credential.issuer}, valid until "
                          f"{credential.not_after:%Y-%m-%d}.")

    @staticmethod
    def _password(env_name: str) -> str:
        if env_name in os.environ:
            return os.environ[env_name]
        try:
            return getpass.getpass("PKCS#12 password: ")
        except (EOFError, OSError):
            raise CommandError(f"No password: set {env_name} or run in a terminal.") from None
