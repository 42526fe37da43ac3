"""``digigov exchange_send [--loop | --drain]``: deliver the outbox.

One pass by default: every destination with a package due gets its waiting packages in
order, stopping at the first failure (retried later with exponential backoff).
``--loop`` keeps going (the production worker) and, once an hour, prunes the refusals
log (``exchange_prune``); ``--drain`` stops once nothing is waiting or after
``--timeout`` seconds.
"""

import logging
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from digigov.exchange import services

logger = logging.getLogger(__name__)

PRUNE_EVERY_SECONDS = 3600  # the refusals log is pruned at most this often by --loop


class Command(BaseCommand):
    help = "Deliver waiting edXML packages to peers and local agencies, in order, with retries."

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--loop", action="store_true", help="Run until stopped.")
        mode.add_argument("--drain", action="store_true",
                          help="Run until nothing is waiting (or --timeout).")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="Seconds between passes when idle (--loop).")
        parser.add_argument("--timeout", type=float, default=300.0,
                            help="Give up after this many seconds (--drain).")

    def handle(self, *args, loop, drain, interval, timeout, **options):
        if interval <= 0 or timeout <= 0:
            raise CommandError("--interval and --timeout must be positive.")
        owner = services.worker_id()
        if drain:
            result = services.drain(timeout=timeout, owner=owner)
            self._report(result)
            waiting = services.next_due()
            if waiting is not None:
                raise CommandError(f"Packages still waiting (next try at {waiting:%H:%M:%S}).")
            return
        if not loop:
            self._report(services.run_once(owner=owner))
            return
        stop = {"now": False}
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.update(now=True))
        pruned_at = None  # time.monotonic() of the last pruning; None: not yet
        while not stop["now"]:
            if pruned_at is None or time.monotonic() - pruned_at >= PRUNE_EVERY_SECONDS:
                pruned_at = time.monotonic()
                self._prune()
            try:
                result = services.run_once(owner=owner)
            except Exception:  # the database restarting, ...: log, wait, go on
                logger.exception("exchange_send: pass failed")
                close_old_connections()
                time.sleep(max(interval, 1.0))
                continue
            if result.delivered or result.refused or result.failed:
                self._report(result)
            due = services.next_due()
            wait = interval if due is None else min(
                interval, max(0.05, (due - timezone.now()).total_seconds()))
            if not (result.delivered or result.refused):
                time.sleep(wait)

    def _prune(self):
        """Old refusals go; a failure here never stops delivery (tried again next hour)."""
        try:
            pruned = services.prune_refusals()
        except Exception:
            logger.exception("exchange_send: pruning the refusals log failed")
            close_old_connections()
            return
        if pruned.deleted:
            self.stdout.write(f"pruned {pruned.deleted} refused package(s) older than "
                              f"{pruned.keep_days} days")

    def _report(self, result):
        self.stdout.write(f"delivered={result.delivered} refused={result.refused} "
                          f"failed={result.failed}")
        for error in result.errors[:5]:
            self.stdout.write(f"  {error}")
