"""``digigov documents_extract_text [--loop]``: read the text of incoming attachments for
search (the ones registered from the exchange are read after the receipt)."""

import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from digigov.documents.extraction import extract_pending

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = ("Read the text of incoming attachments still waiting for it, so that search "
            "finds it. With DOCUMENTS_TEXT_EXTRACTION=queue run one with --loop.")

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running, as a worker")
        parser.add_argument("--interval", type=float, default=2.0,
                            help="seconds between polls when --loop finds nothing")
        parser.add_argument("--limit", type=int, default=50,
                            help="attachments read per pass (default 50)")

    def handle(self, *args, loop, interval, limit, **options):
        if interval <= 0 or limit <= 0:
            raise CommandError("--interval and --limit must be positive.")
        while True:
            try:
                done = extract_pending(limit=limit)
            except Exception:  # the database restarting, ...: log, wait, go on
                if not loop:
                    raise
                logger.exception("documents_extract_text: pass failed")
                close_old_connections()
                done = 0
            if done or not loop:
                self.stdout.write(f"{done} attachment(s) read.")
            if not loop:
                return
            if not done:
                time.sleep(interval)
