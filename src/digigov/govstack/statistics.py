"""``GET /data/statistics``: decisions on applications, counted from the audit trail.

In each period, ``approved`` counts dossiers whose processing was completed
(status 9), ``sentBack`` dossiers sent back for a supplement, ``rejected``
dossiers refused at reception, stopped or withdrawn, and ``processed`` their
sum: every decision taken in the period. Each dossier counts once per kind
and period. Periods are local (Asia/Ho_Chi_Minh) days, ISO weeks (Monday
first), calendar months or years, clipped to [startDate, endDate].
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Value, When
from django.db.models.functions import Trunc
from django.utils import timezone

from digigov.accounts.models import Role
from digigov.audit.models import AuditEvent
from digigov.core.text import fold
from digigov.dossiers.models import Dossier

KINDS = {
    "approved": ("complete",),
    "sentBack": ("request_supplement",),
    "rejected": ("refuse", "stop", "withdraw"),
}
TIMEFRAMES = ("day", "week", "month", "year")
ROLES = tuple(Role.values)
MAX_PERIODS = 366


@dataclass(frozen=True)
class Query:
    start: dt.date
    end: dt.date
    registration_name: str = ""
    operator: str = ""
    role: str = ""
    timeframe: str = ""


def _period_start(day: dt.date, timeframe: str) -> dt.date:
    if timeframe == "week":
        return day - dt.timedelta(days=day.weekday())
    if timeframe == "month":
        return day.replace(day=1)
    if timeframe == "year":
        return day.replace(month=1, day=1)
    return day


def _next_period(start: dt.date, timeframe: str) -> dt.date:
    if timeframe == "week":
        return start + dt.timedelta(days=7)
    if timeframe == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if timeframe == "year":
        return start.replace(year=start.year + 1)
    return start + dt.timedelta(days=1)


def periods(query: Query) -> list[tuple[dt.date, dt.date]]:
    """(first day, last day) of each period, clipped to the query's range."""
    if not query.timeframe:
        return [(query.start, query.end)]
    result, start = [], _period_start(query.start, query.timeframe)
    while start <= query.end:
        following = _next_period(start, query.timeframe)
        result.append((max(start, query.start), min(following - dt.timedelta(days=1), query.end)))
        start = following
    return result


def count_periods(query: Query) -> int:
    return len(periods(query)) if query.timeframe else 1


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _events(query: Query):
    events = AuditEvent.objects.filter(
        object_type=Dossier._meta.label_lower,
        action__in=[a for actions in KINDS.values() for a in actions],
        at__gte=_local_midnight(query.start),
        at__lt=_local_midnight(query.end + dt.timedelta(days=1)),
    )
    if query.registration_name:
        dossiers = Dossier.objects.all()
        for word in fold(query.registration_name).split():
            dossiers = dossiers.filter(procedure__search_text__contains=word)
        events = events.filter(object_id__in=dossiers.values("code"))
    if query.operator:
        events = events.filter(actor__full_name__icontains=query.operator.strip())
    if query.role:
        events = events.filter(actor__role_assignments__role=query.role)
    return events


def compute(query: Query) -> list[dict]:
    kind = Case(*[When(action__in=actions, then=Value(name)) for name, actions in KINDS.items()],
                output_field=CharField())
    events = _events(query).annotate(kind=kind)
    buckets = periods(query)
    counts: dict[tuple[dt.date, str], int] = {}
    if query.timeframe:
        tz = timezone.get_current_timezone()
        rows = (events.annotate(period=Trunc("at", query.timeframe, tzinfo=tz))
                .values("period", "kind").annotate(n=Count("object_id", distinct=True)))
        for row in rows:
            start = max(timezone.localtime(row["period"], tz).date(), query.start)
            counts[(start, row["kind"])] = row["n"]
    else:
        for row in events.values("kind").annotate(n=Count("object_id", distinct=True)):
            counts[(query.start, row["kind"])] = row["n"]
    result = []
    for first, last in buckets:
        numbers = {name: counts.get((first, name), 0) for name in KINDS}
        references = {"startDate": first.isoformat(), "endDate": last.isoformat()}
        for key, value in (("registrationName", query.registration_name),
                           ("operator", query.operator), ("role", query.role)):
            if value:
                references[key] = value
        for timeframe in TIMEFRAMES:
            references[f"timeframe{timeframe.capitalize()}"] = query.timeframe == timeframe
        result.append({"processed": sum(numbers.values()), **numbers, "references": references})
    return result
