"""``digigov exchange_prune [--days N]``: empty the refusals log of its old lines.

Lines older than ``EXCHANGE_REFUSALS_KEEP_DAYS`` (default 90; 0 keeps everything) are
deleted; ``--days`` overrides the setting for one run. ``exchange_send --loop`` does the
same once an hour, so a deployment with the worker needs no schedule of its own.
"""

from django.core.management.base import BaseCommand, CommandError

from digigov.core.errors import DomainError
from digigov.exchange import services


class Command(BaseCommand):
    help = "Delete the refused-packages log lines older than the retention period."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help="Keep this many days instead of EXCHANGE_REFUSALS_KEEP_DAYS "
                                 "(0 keeps everything).")

    def handle(self, *args, days, **options):
        try:
            pruned = services.prune_refusals(keep_days=days)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        if pruned.before is None:
            self.stdout.write("Refused packages are kept without limit "
                              "(EXCHANGE_REFUSALS_KEEP_DAYS=0): nothing deleted.")
            return
        self.stdout.write(f"Deleted {pruned.deleted} refused package(s) received before "
                          f"{pruned.before:%Y-%m-%d %H:%M} UTC (kept {pruned.keep_days} days).")
