"""``GET /data/statistics``: decisions on applications, from the same figures as the index.

In each period, ``approved`` counts dossiers whose processing ended with a
result (processed or returned: the "resolved with a result" set of the
service-quality index, the denominator of indicator 4.1), ``rejected``
dossiers refused at reception, stopped or withdrawn, ``sentBack`` dossiers
sent back for a supplement, and ``processed`` their sum: every decision taken
in the period. A decision is dated by the dossier's own record (the time it
was processed, closed, or the supplement was requested), as the index dates
it, so dossiers entered after the fact count in their own period. Each
dossier counts once per kind and period. ``operator`` and ``role`` keep the
decisions whose audit event names a matching official. Periods are local
(Asia/Ho_Chi_Minh) days, ISO weeks (Monday first), calendar months or years,
clipped to [startDate, endDate].
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, QuerySet
from django.db.models.functions import Coalesce, Trunc
from django.utils import timezone

from digigov.accounts.models import Role
from digigov.audit.models import AuditEvent
from digigov.core.text import fold
from digigov.dossiers.models import Dossier, Status
from digigov.reports import index, periods, scopes

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


def periods_of(query: Query) -> list[tuple[dt.date, dt.date]]:
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
    return len(periods_of(query)) if query.timeframe else 1


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _decided(query: Query, kind: str) -> QuerySet[Dossier]:
    """Dossiers with a ``kind`` decision in [startDate, endDate], annotated ``decided_at``."""
    start, end = _local_midnight(query.start), _local_midnight(query.end + dt.timedelta(days=1))
    ended = Coalesce("processed_at", "returned_at", "closed_at")
    if kind == "approved":
        # The denominator of indicator 4.1: resolved in the period with a result.
        period = periods.Period("range", query.start, query.end)
        dossiers = index.drilldown(scopes.instance(), period, "4.1", "denominator").annotate(
            decided_at=ended)
    elif kind == "rejected":
        dossiers = Dossier.objects.filter(
            status__in=(Status.NOT_RECEIVED, Status.STOPPED, Status.WITHDRAWN)).annotate(
            decided_at=ended)
    else:
        dossiers = Dossier.objects.annotate(decided_at=F("supplements__requested_at"))
    dossiers = dossiers.filter(decided_at__gte=start, decided_at__lt=end)
    if query.registration_name:
        for word in fold(query.registration_name).split():
            dossiers = dossiers.filter(procedure__search_text__contains=word)
    if query.operator or query.role:
        events = AuditEvent.objects.filter(object_type=Dossier._meta.label_lower,
                                           action__in=KINDS[kind])
        if query.operator:
            events = events.filter(actor__full_name__icontains=query.operator.strip())
        if query.role:
            events = events.filter(actor__role_assignments__role=query.role)
        dossiers = dossiers.filter(code__in=events.values("object_id"))
    return dossiers


def compute(query: Query) -> list[dict]:
    buckets = periods_of(query)
    counts: dict[tuple[dt.date, str], int] = {}
    tz = timezone.get_current_timezone()
    for kind in KINDS:
        dossiers = _decided(query, kind).order_by()
        if query.timeframe:
            rows = (dossiers.annotate(period=Trunc("decided_at", query.timeframe, tzinfo=tz))
                    .values("period").annotate(n=Count("pk", distinct=True)))
            for row in rows:
                first = max(timezone.localtime(row["period"], tz).date(), query.start)
                counts[(first, kind)] = row["n"]
        else:
            counts[(query.start, kind)] = dossiers.aggregate(n=Count("pk", distinct=True))["n"]
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
