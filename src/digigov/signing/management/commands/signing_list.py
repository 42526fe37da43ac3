"""``digigov signing_list``: trusted roots and signing certificates (never keys)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from digigov.signing.models import SigningCredential, TrustRoot


class Command(BaseCommand):
    help = "List trusted roots and the agencies' and officers' signing certificates."

    def handle(self, *args, **options):
        now = timezone.now()
        self.stdout.write("Trusted roots:")
        for root in TrustRoot.objects.order_by("created_at"):
            kind = "local CA" if root.is_local_ca else "imported"
            self.stdout.write(f"  {root.fingerprint[:16]}  {kind:8}  until "
                              f"{root.not_after:%Y-%m-%d}  {root.subject}")
        self.stdout.write("Signing certificates:")
        credentials = SigningCredential.objects.select_related("agency", "officer")
        for c in credentials.order_by("holder", "created_at"):
            who = c.agency.code if c.agency_id else c.officer.login
            if c.revoked_at:
                state = "revoked"
            elif c.is_active:
                state = "expired" if c.not_after < now else "active"
            else:
                state = "replaced"
            self.stdout.write(f"  {c.fingerprint[:16]}  {c.holder:7}  {who}  {c.source:8}  "
                              f"{state:8}  until {c.not_after:%Y-%m-%d}  {c.subject}")
