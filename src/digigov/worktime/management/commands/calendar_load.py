"""``digigov calendar_load [CSV]``: (re)load the shipped holiday calendar or a corrected file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from digigov.worktime.loader import DATA_FILE, CalendarFileError, load_calendar
from digigov.worktime.models import CalendarDay


class Command(BaseCommand):
    help = (
        "Load days off and make-up working days from a CSV file (default: the shipped "
        "calendar). Rows are created or updated by date; the whole file is checked first "
        "and nothing is changed if any row is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv", nargs="?", default=str(DATA_FILE),
                            help="CSV with columns date,name_vi,name_en,kind,legal_basis")
        parser.add_argument(
            "--prune", action="store_true",
            help="Delete days of the years the file covers that the file does not list.",
        )

    def handle(self, *args, csv: str, prune: bool, **options):
        path = Path(csv)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        before = CalendarDay.objects.count()
        try:
            with transaction.atomic():
                count = load_calendar(CalendarDay, path, prune=prune)
        except CalendarFileError as exc:
            raise CommandError(f"{path} was not loaded:\n" + "\n".join(exc.errors)) from exc
        after = CalendarDay.objects.count()
        unverified = CalendarDay.objects.filter(verified=False).count()
        self.stdout.write(self.style.SUCCESS(
            f"Loaded {count} day(s) from {path}; the calendar now holds {after} day(s) "
            f"({after - before:+d}), {unverified} of them unverified."
        ))
