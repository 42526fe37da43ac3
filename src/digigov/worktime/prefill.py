"""Estimate a year's days off from the statutory rules, before the official notice.

The Labour Code 2019 art. 112 fixes the public holidays (and the lunar dates
of Tết and Hung Kings' day); each year the Government then announces the
exact Tết days, bridge days and make-up Saturdays. Until that notice an
agency still has to compute deadlines, so a year can be pre-filled from the
``holidays`` package's rule-based estimate. Every such row is marked
``verified=False`` and is replaced when the announced calendar is loaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import holidays

from .models import CalendarDay

FIRST_YEAR, LAST_YEAR = 2000, 2100
LEGAL_BASIS = (
    "UNVERIFIED estimate from the statutory rules: Bộ luật Lao động 2019 (45/2019/QH14) "
    "Điều 112 (holidays {version}); awaiting the official announcement for {year}"
)


@dataclass
class PrefillResult:
    created: list[CalendarDay]
    skipped: list[dt.date]  # already in the calendar, left untouched


def estimate_days_off(year: int) -> list[dict]:
    """The statutory days off of ``year``: holidays and compensatory days, with names."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year must be between {FIRST_YEAR} and {LAST_YEAR}")
    names_vi = holidays.country_holidays("VN", years=year, language="vi")
    names_en = holidays.country_holidays("VN", years=year, language="en_US")
    # Days present only when observed days are on are the compensatory ones (art. 112.3).
    statutory = holidays.country_holidays("VN", years=year, observed=False)
    basis = LEGAL_BASIS.format(version=holidays.__version__, year=year)
    days = []
    for day in sorted(names_vi):
        kind = CalendarDay.Kind.HOLIDAY if day in statutory else CalendarDay.Kind.COMPENSATORY
        days.append({
            "date": day,
            "kind": kind,
            "name": f"{names_vi[day]} – ƯỚC TÍNH"[:200],
            "name_en": f"{names_en.get(day, names_vi[day])} – ESTIMATE"[:200],
            "legal_basis": basis,
            "verified": False,
        })
    return days


def prefill_year(year: int) -> PrefillResult:
    """Add the estimated days off of ``year`` that the calendar does not hold yet.

    Existing rows (announced days, an agency's corrections, earlier
    estimates) are never overwritten. The caller provides the transaction.
    """
    existing = set(
        CalendarDay.objects.filter(date__year=year).values_list("date", flat=True)
    )
    created, skipped = [], []
    for values in estimate_days_off(year):
        if values["date"] in existing:
            skipped.append(values["date"])
            continue
        created.append(CalendarDay.objects.create(**values))
    return PrefillResult(created=created, skipped=skipped)
