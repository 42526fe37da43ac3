import time

from django.core.management.base import BaseCommand

from digigov.dossiers.notifications import deliver_pending


class Command(BaseCommand):
    help = "Send the notifications waiting to be delivered (and retry failed ones)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running, as a worker")
        parser.add_argument("--interval", type=float, default=2.0,
                            help="seconds between polls when --loop finds nothing")
        parser.add_argument("--max-attempts", type=int, default=5)

    def handle(self, *args, loop, interval, max_attempts, **options):
        while True:
            sent = deliver_pending(max_attempts=max_attempts)
            if sent:
                self.stdout.write(f"sent {sent}")
            if not loop:
                return
            if not sent:
                time.sleep(interval)
