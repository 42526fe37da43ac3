"""``digigov calendar_prefill YEAR``: estimate a not-yet-announced year's days off."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from digigov.worktime.models import CalendarDay
from digigov.worktime.prefill import FIRST_YEAR, LAST_YEAR, prefill_year


class Command(BaseCommand):
    help = (
        "Pre-fill a year's public holidays and compensatory days from the statutory rules "
        "(marked unverified). Existing days are never overwritten. Load the official "
        "calendar with calendar_load once it is announced."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument(
            "--force", action="store_true",
            help="Add the missing estimated days even if the year already has announced days.",
        )

    def handle(self, *args, year: int, force: bool, **options):
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise CommandError(f"Year {year} is outside {FIRST_YEAR}-{LAST_YEAR}.")
        announced = CalendarDay.objects.filter(date__year=year, verified=True).count()
        if announced and not force:
            raise CommandError(
                f"{year} already has {announced} announced day(s): an estimate would mix "
                "guesses into the official calendar. Use calendar_load with the corrected "
                "file, or --force to add only the missing estimated days."
            )
        with transaction.atomic():
            result = prefill_year(year)
        for day in result.created:
            self.stdout.write(f"+ {day.date:%Y-%m-%d} {day.get_kind_display()}: {day.name}")
        for date in result.skipped:
            self.stdout.write(f"= {date:%Y-%m-%d} already in the calendar, kept as is")
        self.stdout.write(self.style.SUCCESS(
            f"{year}: {len(result.created)} estimated day(s) added (unverified), "
            f"{len(result.skipped)} existing day(s) kept."
        ))
