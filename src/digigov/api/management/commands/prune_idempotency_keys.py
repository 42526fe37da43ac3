"""``digigov prune_idempotency_keys``: forget Idempotency-Key replies older than a few days."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from digigov.api.models import IdempotencyRecord


class Command(BaseCommand):
    help = "Delete stored Idempotency-Key responses older than --days (default 7)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7,
                            help="Keep replies this many days (at least 1).")

    def handle(self, *args, days, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        cutoff = timezone.now() - dt.timedelta(days=days)
        deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} stored replies older than {days} days.")
