"""The rollup behind ``compute_index(method="fast")``: exact, never stale.

Three layers (models in ``reports.models``):

1. ``DossierFact``: one row per dossier with what the index counts about it
   (``facts_for``), including the cell keys: top-level agency ("root"),
   procedure, sector, the day it was received and the day it ended.
2. ``RootMonthCell`` and ``RootDayCell``: facts summed per root, procedure
   and reporting month (or day). A period of whole reporting months reads
   month cells; a date range reads month cells for its whole months and day
   cells for the rest.
3. ``DirtyDossier``: written by database triggers (``reports.dirty_triggers``)
   in the same transaction as any change of a dossier or of what the index
   reads about it, and by signal handlers (``reports.signals``) when an agency
   moves or a procedure changes sector. ``refresh()`` claims the dirty
   dossiers, computes their facts again, and applies the difference (new fact
   minus old fact) to the cells, all in one transaction. Every fast
   computation calls ``refresh()`` first, so it never reads a stale figure.

Reading: the whole instance and a top-level agency read cells; any other
scope (a department, a commune, a sub-unit with its own sub-units) sums the
facts of its agencies directly (index on agency and day). Dossiers open at
the period end are counted from the facts (index on the end day); the few
whose verdict needs the working calendar (waiting for a supplement at the
period end, or without an appointment date) are judged one by one by the
same function as the direct method.

``rebuild()`` (command ``digigov reports_rebuild``) computes everything from
scratch.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Sum, Value, When

from digigov.catalog.models import ServiceLevel
from digigov.dossiers.models import Channel, Dossier, DossierFile, Status
from digigov.dossiers.timeliness import judge_at, judge_dossier
from digigov.orgs.models import Agency
from digigov.payments.models import Payment, PaymentChannel, PaymentStatus
from digigov.signing.models import IssuedDocument
from digigov.store.models import PaperUse, StoredPaper
from digigov.worktime.calendar import WorkCalendar

from .models import (
    ENDED_MEASURES,
    MEASURES,
    RECEIVED_MEASURES,
    DirtyDossier,
    DossierFact,
    RootDayCell,
    RootMonthCell,
)
from .periods import month_bucket, reporting_months
from .worktime import FastCalendar

CHUNK = 20_000
# The "end day" of a dossier not ended yet: open at every period end. A date rather than
# NULL keeps the open-at-period-end count a single range on a covering index.
STILL_OPEN = dt.date(9999, 12, 31)
FACT_FIELDS = (
    "dossier_id", "agency_id", "root_id", "procedure_id", "sector_id", "received_day", "end_day",
    "open_end_day", "withdrawn", "online", "online_counted", "fee_bearing", "paid_online",
    "digitised", "reused", "store_linked", "with_result", "e_result", "late",
    "processing_seconds", "due_at", "paused_at", "many_supplements",
)
RESULT_STATUSES = (Status.PROCESSED, Status.RETURNED)
RAW_FIELDS = (
    "pk", "agency_id", "procedure_id", "report_sector", "channel", "status", "received_at",
    "processed_at", "returned_at", "closed_at", "due_at", "clock_paused_at", "supplement_count",
    "paused_seconds", "fee_amount", "report_level", "has_digitised", "has_reuse",
    "has_e_result", "has_stored", "has_paid_online", "report_tl_amount", "report_tl_unit",
    "report_cutoff",
)


# -- facts -------------------------------------------------------------------------------------
def _raw(queryset):
    return queryset.annotate(
        report_sector=F("procedure__sector_id"),
        report_level=F("procedure_version__service_level"),
        report_tl_amount=F("procedure_version__time_limit_amount"),
        report_tl_unit=F("procedure_version__time_limit_unit"),
        report_cutoff=F("procedure_version__cutoff_time"),
        has_digitised=Exists(DossierFile.objects.filter(dossier=OuterRef("pk"),
                                                        is_digitised=True)),
        has_reuse=Exists(PaperUse.objects.filter(dossier=OuterRef("pk"))),
        has_e_result=Exists(IssuedDocument.objects.filter(dossier=OuterRef("pk"),
                                                          kind=IssuedDocument.Kind.RESULT)),
        has_stored=Exists(StoredPaper.objects.filter(dossier=OuterRef("pk"))),
        has_paid_online=Exists(Payment.objects.filter(
            dossier=OuterRef("pk"), status=PaymentStatus.PAID, channel=PaymentChannel.ONLINE)),
    ).order_by().values_list(*RAW_FIELDS)


class FactMaker:
    """Turns raw dossier rows into fact tuples (in ``FACT_FIELDS`` order)."""

    def __init__(self):
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.calendar = WorkCalendar.load()
        self.fast = FastCalendar(self.calendar)
        self.parents = dict(Agency.objects.values_list("pk", "parent_id"))
        self.roots: dict[int, int] = {}

    def root(self, agency_id: int) -> int:
        root = self.roots.get(agency_id)
        if root is None:
            current, seen = agency_id, set()
            while self.parents.get(current) is not None and current not in seen:
                seen.add(current)
                current = self.parents[current]
            root = self.roots[agency_id] = current
        return root

    def _day(self, moment: dt.datetime | None) -> dt.date | None:
        return None if moment is None else moment.astimezone(self.tz).date()

    def _late(self, row, end: dt.datetime) -> bool:
        (_pk, _a, _p, _s, _c, _st, received_at, _pr, _rt, _cl, due_at, paused_at, supplements,
         paused_seconds, *_rest) = row
        if supplements > 1:
            return True
        if due_at is not None and not (paused_at is not None and paused_at < end):
            return end > due_at
        # The calendar is needed: the same function as the direct method.
        version = SimpleNamespace(time_limit_amount=Decimal(str(row[21] or 0)),
                                  time_limit_unit=row[22], cutoff_time=row[23])
        dossier = SimpleNamespace(supplement_count=supplements, due_at=due_at,
                                  clock_paused_at=paused_at, received_at=received_at,
                                  paused_seconds=paused_seconds, procedure_version=version)
        return judge_dossier(dossier, end=end, calendar=self.calendar) == "late"

    def fact(self, row) -> tuple:
        (pk, agency_id, procedure_id, sector_id, channel, status, received_at, processed_at,
         returned_at, closed_at, due_at, paused_at, supplements, paused_seconds, fee_amount,
         level, has_digitised, has_reuse, has_e_result, has_stored, has_paid_online,
         *_limits) = row
        end = processed_at or returned_at or closed_at
        withdrawn = status == Status.WITHDRAWN
        resolved = received_at is not None and end is not None and not withdrawn
        with_result = resolved and status in RESULT_STATUSES
        online = channel == Channel.ONLINE
        fee_bearing = fee_amount > 0
        return (
            pk, agency_id, self.root(agency_id), procedure_id, sector_id,
            self._day(received_at), self._day(end) if resolved else None,
            self._day(end) if end is not None else STILL_OPEN,
            withdrawn, online,
            online and not (level == ServiceLevel.FULL and status in RESULT_STATUSES
                            and not has_e_result),
            fee_bearing, fee_bearing and has_paid_online,
            (online or has_digitised or has_reuse)
            and (status not in RESULT_STATUSES or has_e_result),
            has_reuse, has_reuse or has_stored, with_result, with_result and has_e_result,
            resolved and self._late(row, end),
            self.fast.net_processing_seconds(received_at, end, paused_seconds)
            if with_result else 0,
            due_at, paused_at, supplements > 1,
        )


def raw_rows(queryset):
    """The rows of ``_raw(queryset)`` straight from the database cursor (no ORM converters):
    timestamps become aware datetimes, flags stay 0/1 on SQLite."""
    sql, params = _raw(queryset).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if connection.vendor != "sqlite":
        return rows
    converted = []
    stamps = (6, 7, 8, 9, 10, 11)
    for row in rows:
        row = list(row)
        for i in stamps:
            value = row[i]
            if value is not None:
                if isinstance(value, str):
                    value = dt.datetime.fromisoformat(value)
                row[i] = value.replace(tzinfo=dt.UTC)
        if row[23] is not None and isinstance(row[23], str):
            row[23] = dt.time.fromisoformat(row[23])
        converted.append(row)
    return converted


def facts_for(ids, maker: FactMaker | None = None) -> dict[int, tuple]:
    """``{dossier id: fact tuple}`` for the dossiers that still exist among ``ids``."""
    maker = maker or FactMaker()
    facts = {}
    ids = list(ids)
    for i in range(0, len(ids), 5000):
        for row in raw_rows(Dossier.objects.filter(pk__in=ids[i:i + 5000])):
            facts[row[0]] = maker.fact(row)
    return facts


# -- cell contributions ------------------------------------------------------------------------
_INDEX = {name: i for i, name in enumerate(FACT_FIELDS)}


def contributions(fact: tuple):
    """Yield (kind, key, {measure: value}) for the cells a fact adds to.

    kind is "month" or "day"; key is (root, procedure, date).
    """
    root, procedure = fact[2], fact[3]
    received_day, end_day = fact[5], fact[6]
    if received_day is not None:
        values = {"received": 1}
        for name in RECEIVED_MEASURES[1:]:
            values[name] = int(bool(fact[_INDEX[name]]))
        yield "month", (root, procedure, month_bucket(received_day)), values
        yield "day", (root, procedure, received_day), values
    if end_day is not None:
        values = {"resolved": 1, "resolved_late": int(fact[_INDEX["late"]]),
                  "with_result": int(fact[_INDEX["with_result"]]),
                  "e_result": int(fact[_INDEX["e_result"]]),
                  "processing_seconds": fact[_INDEX["processing_seconds"]]}
        yield "month", (root, procedure, month_bucket(end_day)), values
        yield "day", (root, procedure, end_day), values


def _apply(deltas: dict, sectors: dict, model, date_field: str) -> None:
    """Add ``{(root, procedure, date): {measure: delta}}`` to the cells of ``model``."""
    keys = sorted(deltas)  # zero deltas too: the cell's sector may have changed
    if not keys:
        return
    model.objects.bulk_create(
        [model(root_id=r, procedure_id=p, sector_id=sectors[(r, p, d)], **{date_field: d})
         for r, p, d in keys], ignore_conflicts=True, batch_size=1000)
    changed = []
    for i in range(0, len(keys), 500):
        condition = Q()
        for r, p, d in keys[i:i + 500]:
            condition |= Q(root_id=r, procedure_id=p, **{date_field: d})
        for cell in model.objects.select_for_update().filter(condition).order_by("pk"):
            key = (cell.root_id, cell.procedure_id, getattr(cell, date_field))
            for name, value in deltas[key].items():
                setattr(cell, name, getattr(cell, name) + value)
            cell.sector_id = sectors[key]
            changed.append(cell)
    model.objects.bulk_update(changed, [*MEASURES, "sector_id"], batch_size=500)


def _claim_dirty(limit: int) -> list[int]:
    table = DirtyDossier._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{table}" WHERE "dossier_id" IN ('  # noqa: S608 - our table
            f'SELECT "dossier_id" FROM "{table}" ORDER BY "dossier_id" LIMIT %s) '
            'RETURNING "dossier_id"', [limit])
        return [row[0] for row in cursor.fetchall()]


def refresh(*, batch: int = 5000) -> int:
    """Fold every dirty dossier into the facts and cells; returns how many were refreshed."""
    done = 0
    maker = None
    while True:
        with transaction.atomic():
            ids = _claim_dirty(batch)
            if not ids:
                return done
            maker = maker or FactMaker()
            new = facts_for(ids, maker)
            old = {f.dossier_id: tuple(getattr(f, n) for n in FACT_FIELDS)
                   for f in DossierFact.objects.select_for_update().filter(dossier_id__in=ids)}
            deltas = {"month": defaultdict(lambda: defaultdict(int)),
                      "day": defaultdict(lambda: defaultdict(int))}
            sectors = {}
            for fact, sign in [(f, -1) for f in old.values()] + [(f, 1) for f in new.values()]:
                for kind, key, values in contributions(fact):
                    sectors[key] = fact[4]  # new facts come last: the current sector wins
                    cell = deltas[kind][key]
                    for name, value in values.items():
                        cell[name] += sign * value
            _apply(deltas["month"], sectors, RootMonthCell, "month")
            _apply(deltas["day"], sectors, RootDayCell, "day")
            DossierFact.objects.filter(dossier_id__in=ids).delete()
            DossierFact.objects.bulk_create(
                [DossierFact(**dict(zip(FACT_FIELDS, f, strict=True))) for f in new.values()],
                batch_size=1000)
            done += len(ids)


# -- rebuild -----------------------------------------------------------------------------------
def _bucket_sql(column: str) -> str:
    """SQL for the first day of the reporting month of a date column."""
    if connection.vendor == "postgresql":
        return (f"(CASE WHEN EXTRACT(DAY FROM {column}) >= 15 "
                f"THEN (date_trunc('month', {column}) + interval '14 days')::date "
                f"ELSE (date_trunc('month', {column}) - interval '1 month' "
                f"+ interval '14 days')::date END)")
    return (f"(CASE WHEN CAST(strftime('%d', {column}) AS INTEGER) >= 15 "
            f"THEN date({column}, 'start of month', '+14 days') "
            f"ELSE date({column}, 'start of month', '-1 month', '+14 days') END)")


def _write_facts(rows: list[tuple]) -> None:
    table = DossierFact._meta.db_table
    columns = ", ".join(f'"{c}"' for c in FACT_FIELDS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(FACT_FIELDS))
            cursor.executemany(
                f'INSERT INTO "{table}" ({columns}) VALUES ({marks})',  # noqa: S608 - ours
                [_sqlite_row(row) for row in rows])


def _sqlite_row(row: tuple) -> list:
    """Dates as ISO text, timestamps as naive UTC text: what Django stores on SQLite."""
    row = list(row)
    for i in (5, 6, 7):
        if row[i] is not None:
            row[i] = row[i].isoformat()
    for i in (20, 21):
        if row[i] is not None:
            row[i] = row[i].astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    return row


def _fill_cells() -> None:
    """Sum the facts into the cells with two GROUP BY statements per table."""
    fact = DossierFact._meta.db_table
    received = ", ".join(f'SUM(CASE WHEN "{m}" THEN 1 ELSE 0 END)' for m in RECEIVED_MEASURES[1:])
    ended = ('COUNT(*), SUM(CASE WHEN "late" THEN 1 ELSE 0 END), '
             'SUM(CASE WHEN "with_result" THEN 1 ELSE 0 END), '
             'SUM(CASE WHEN "e_result" THEN 1 ELSE 0 END), SUM("processing_seconds")')
    received_cols = ", ".join(f'"{m}"' for m in RECEIVED_MEASURES)
    ended_cols = ", ".join(f'"{m}"' for m in ENDED_MEASURES)
    updates = ", ".join(f'"{m}" = excluded."{m}"' for m in ENDED_MEASURES)
    with connection.cursor() as cursor:
        for model, date_col in ((RootDayCell, "day"), (RootMonthCell, "month")):
            table = model._meta.db_table
            zero_ended = ", ".join("0" for _ in ENDED_MEASURES)
            zero_received = ", ".join("0" for _ in RECEIVED_MEASURES)
            for source, date_expr_col, measures, cols, zeros, other_cols in (
                ("received_day", None, f"COUNT(*), {received}", received_cols, zero_ended,
                 ended_cols),
                ("end_day", None, ended, ended_cols, zero_received, received_cols),
            ):
                del date_expr_col
                day = f'"{source}"' if date_col == "day" else _bucket_sql(f'"{source}"')
                conflict = (f'ON CONFLICT ("root_id", "procedure_id", "{date_col}") DO UPDATE '
                            f"SET {updates}" if source == "end_day" else "")
                cursor.execute(
                    f'INSERT INTO "{table}" ("root_id", "procedure_id", "sector_id", '  # noqa: S608
                    f'"{date_col}", {cols}, {other_cols}) '
                    f'SELECT "root_id", "procedure_id", MIN("sector_id"), {day}, {measures}, '
                    f'{zeros} FROM "{fact}" WHERE "{source}" IS NOT NULL '
                    f'GROUP BY "root_id", "procedure_id", {day} {conflict}')


def rebuild(*, chunk: int = CHUNK, progress=None) -> int:
    """Compute every fact and cell from scratch; returns the number of dossiers."""
    with transaction.atomic():
        for model in (DirtyDossier, DossierFact, RootMonthCell, RootDayCell):
            with connection.cursor() as cursor:
                cursor.execute(f'DELETE FROM "{model._meta.db_table}"')  # noqa: S608
        maker = FactMaker()
        last, total = 0, 0
        while True:
            ids = list(Dossier.objects.filter(pk__gt=last).order_by("pk")
                       .values_list("pk", flat=True)[:chunk])
            if not ids:
                break
            rows = [maker.fact(row) for row in raw_rows(Dossier.objects.filter(
                pk__gte=ids[0], pk__lte=ids[-1]))]
            _write_facts(rows)
            total += len(rows)
            last = ids[-1]
            if progress:
                progress(total)
        _fill_cells()
    return total


# -- reading -----------------------------------------------------------------------------------
def _bool_sum(name: str):
    return Sum(Case(When(**{name: True}, then=Value(1)), default=Value(0),
                    output_field=IntegerField()))


def _add(counts, per_procedure, procedure_id, values: dict) -> None:
    for name, value in values.items():
        if value:
            setattr(counts, name, getattr(counts, name) + value)
    row = per_procedure.setdefault(procedure_id, [0, 0, 0])
    row[0] += values.get("online") or 0
    row[1] += values.get("with_result") or 0
    row[2] += values.get("processing_seconds") or 0


def counts_fast(scope, period, resolved):
    """The same ``Counts`` as ``index.counts_direct``, from the rollup."""
    from .index import Counts

    refresh()
    counts = Counts()
    per_procedure = counts.per_procedure
    extra = {}
    if resolved.procedure_id is not None:
        extra["procedure_id"] = resolved.procedure_id
    if resolved.sector_id is not None:
        extra["sector_id"] = resolved.sector_id
    agency = scope.agency
    facts = DossierFact.objects.filter(**extra)
    if agency is None or agency.parent_id is None:
        roots = {} if agency is None else {"root_id": agency.pk}
        months, days = reporting_months(period)
        sums = {m: Sum(m) for m in MEASURES}
        for model, field, values in ((RootMonthCell, "month", months),
                                     (RootDayCell, "day", days)):
            if not values:
                continue
            condition = {f"{field}__in": values}
            rows = (model.objects.filter(**condition, **roots, **extra).order_by()
                    .values("procedure_id").annotate(**{f"s_{k}": v for k, v in sums.items()}))
            for row in rows:
                _add(counts, per_procedure, row["procedure_id"],
                     {m: row[f"s_{m}"] for m in MEASURES})
        facts = facts.filter(**roots)
    else:
        ids = scope.agency_ids()
        facts = facts.filter(agency_id__in=ids)
        received = (facts.filter(received_day__gte=period.start, received_day__lte=period.end)
                    .order_by().values("procedure_id")
                    .annotate(received=Count("pk"),
                              **{m: _bool_sum(m) for m in RECEIVED_MEASURES[1:]}))
        for row in received:
            _add(counts, per_procedure, row.pop("procedure_id"), row)
        ended = (facts.filter(end_day__gte=period.start, end_day__lte=period.end)
                 .order_by().values("procedure_id")
                 .annotate(resolved=Count("pk"), resolved_late=_bool_sum("late"),
                           with_result=_bool_sum("with_result"), e_result=_bool_sum("e_result"),
                           processing_seconds=Sum("processing_seconds")))
        for row in ended:
            _add(counts, per_procedure, row.pop("procedure_id"), row)
    _open_at_end(counts, facts, period)
    return counts


def _open_at_end(counts, facts, period) -> None:
    """Dossiers received by the period end and not ended by then, judged at the period end."""
    open_facts, simple_late, calendar_needed = open_at_end_facts(facts, period)
    figures = open_facts.aggregate(total=Count("pk"), late=Count("pk", filter=simple_late))
    counts.open_at_end = figures["total"] or 0
    counts.open_late = figures["late"] or 0
    counts.open_late += len(late_by_calendar(
        open_facts.filter(calendar_needed).values_list("dossier_id", "due_at", "paused_at"),
        period.end_at()))


def open_at_end_facts(facts, period):
    """(the facts open at the period end, the condition that makes one of them late without
    the calendar, the condition of those whose verdict needs the calendar)."""
    end_at = period.end_at()
    open_facts = facts.filter(received_day__lte=period.end, open_end_day__gt=period.end)
    simple_late = Q(many_supplements=True) | (
        Q(due_at__isnull=False, due_at__lt=end_at)
        & (Q(paused_at__isnull=True) | Q(paused_at__gte=end_at)))
    paused = Q(many_supplements=False, due_at__isnull=False, paused_at__lt=end_at)
    no_due = Q(many_supplements=False, due_at__isnull=True)
    return open_facts, simple_late, paused | no_due


def late_by_calendar(rows, end_at) -> set[int]:
    """The late ones among open dossiers ``(dossier id, due_at, paused_at)`` that wait for a
    supplement at ``end_at`` or have no appointment date, judged at ``end_at``."""
    late, hard, waiting = set(), [], []
    for dossier_id, due_at, paused_at in rows:
        (hard if due_at is None else waiting).append((dossier_id, due_at, paused_at))
    hard = [row[0] for row in hard]
    if waiting:
        fast = FastCalendar()
        end_position = fast.position(end_at)
        for dossier_id, due_at, paused_at in waiting:
            verdict = _late_while_paused(fast, end_at, end_position, due_at, paused_at)
            if verdict is None:
                hard.append(dossier_id)
            elif verdict:
                late.add(dossier_id)
    if hard:
        calendar = WorkCalendar.load()
        for dossier in Dossier.objects.filter(pk__in=hard).select_related("procedure_version"):
            if judge_at(dossier, end_at, calendar=calendar) == "late":
                late.add(dossier.pk)
    return late


def _late_while_paused(fast: FastCalendar, end_at, end_position, due_at, paused_at) -> bool | None:
    """``judge_at`` for a dossier waiting for its supplement at ``end_at``, in O(1).

    ``judge_dossier`` pushes the appointment back by the working time from the
    request to ``end_at`` (x) and compares: late iff end_at > due + x. In
    working-time positions that is pos(paused) > pos(due). None when the
    positions are too close to decide without the calendar (or out of range).
    """
    paused_position, due_position = fast.position(paused_at), fast.position(due_at)
    if None in (end_position, paused_position, due_position):
        return None
    if end_position - paused_position == 0:
        return end_at > due_at
    if paused_position > due_position + 0.001:
        return True
    if paused_position < due_position - 0.001:
        return False
    return None
