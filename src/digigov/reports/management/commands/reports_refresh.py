"""``digigov reports_refresh``: fold changed dossiers into the index rollup ahead of readers."""

import time

from django.core.management.base import BaseCommand

from digigov.reports.rollup import refresh


class Command(BaseCommand):
    help = ("Fold the dossiers changed since the last read into the service-quality index "
            "rollup, so that dashboards only fold the last few seconds' changes. Readers do "
            "it anyway: this only keeps their share small on a busy instance.")

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true",
                            help="keep running, one pass every --interval seconds")
        parser.add_argument("--interval", type=float, default=30.0,
                            help="seconds between passes with --loop (default 30)")

    def handle(self, *args, loop: bool, interval: float, **options):
        while True:
            done = refresh()
            if done or not loop:
                self.stdout.write(f"{done} dossier(s) folded into the index rollup.")
            if not loop:
                return
            time.sleep(max(1.0, interval))
