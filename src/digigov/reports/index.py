"""The service-quality index of Decision 766/QD-TTg for a scope, a period and filters.

Which dossiers each figure counts (a period is [start 00:00, end+1 00:00)
Vietnam time; "in scope" = received by an agency of the scope, of the
filtered sector or procedure):

* received in the period: ``received_at`` in the period (refused dossiers
  were never received and are not counted; dossiers still waiting for
  reception neither). Denominator of 3.3, 4.2, 4.3, 4.4 and the headline
  online, digitisation and reuse shares.
* resolved in the period: received, ended in the period (end = first of
  processed > returned > stopped/closed), not withdrawn by the applicant.
* open at the period end: received before the period end and not ended by
  then (whatever happened later), including a dossier withdrawn later.
* judged (2.1, 5.4): resolved in the period + open at the period end. Each
  is judged by ``dossiers.timeliness.judge_at`` (on time iff end <=
  appointment, supplement time excluded, more than one supplement = late,
  an open dossier judged at the period end, no appointment date = the
  statutory maximum). Numerator: not late.
* with a result: resolved with status processed or returned. Denominator of
  4.1 (numerator: with an issued electronic result) and of 2.2.

Per dossier:

* online: channel 2. Counted for 3.3 unless its service is full-process and
  it was processed without an electronic result (one is required then).
* fee-bearing: a fee at submission (``fee_amount`` > 0); paid online: a paid
  payment through the online gateway.
* digitised: its components are electronic (submitted online, digitised at
  the counter, or reused from the data store) and, once it has a result, the
  result is electronic.
* reused: at least one paper used from the applicant's data store.
* linked to the data store: it used a stored paper or filed one there.
* net processing time: working time from receipt to end, less the
  applicant's supplement time.

Scoring: rate = numerator / denominator in percent (2 decimals); with a
threshold T, score = min(rate, T) / T x points, else rate / 100 x points
(2 decimals). Indicators without data (1.4, 4.5, 5.1-5.3, or a zero
denominator) score nothing and are reported unavailable: ``total`` is out of
all 100 points, ``available_points`` says how many points could be earned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from digigov.catalog.models import Procedure, ProcedureVersion, Sector, ServiceLevel
from digigov.catalog.models import TimeLimitUnit as Unit
from digigov.core.errors import InvalidInput
from digigov.dossiers.models import (
    OPEN_STATUSES,
    Channel,
    Dossier,
    DossierFile,
    Status,
)
from digigov.dossiers.timeliness import judge_at
from digigov.payments.models import FeeRule, Payment, PaymentChannel, PaymentStatus
from digigov.signing.models import IssuedDocument
from digigov.store.models import PaperUse, StoredPaper

from . import definitions
from .definitions import BY_CODE, DOSSIER_INDICATORS, GROUPS, HEADLINE_KEYS, INDICATORS
from .periods import Period, previous_periods
from .scopes import Scope
from .worktime import FastCalendar, seconds_per_day

TWO = Decimal("0.01")
RESULT_STATUSES = (Status.PROCESSED, Status.RETURNED)


# -- public data shapes ---------------------------------------------------------------------
@dataclass
class Filters:
    sector: str | None = None       # catalog sector code
    procedure: str | None = None    # procedure national code

    def as_dict(self) -> dict:
        return {"sector": self.sector, "procedure": self.procedure}


@dataclass
class IndicatorResult:
    code: str
    group: str
    name: str
    numerator: int | None
    denominator: int | None
    rate: Decimal | None
    threshold: Decimal | None
    points: Decimal
    score: Decimal | None
    available: bool
    note: str
    drilldown: bool

    def as_dict(self) -> dict:
        return {"code": self.code, "group": self.group, "name": self.name,
                "numerator": self.numerator, "denominator": self.denominator,
                "rate": _s(self.rate), "threshold": _s(self.threshold),
                "points": _s(self.points), "score": _s(self.score),
                "available": self.available, "note": self.note, "drilldown": self.drilldown}


@dataclass
class GroupResult:
    code: str
    name: str
    points: Decimal
    score: Decimal
    indicators: list[IndicatorResult]

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "points": _s(self.points),
                "score": _s(self.score), "indicators": [i.as_dict() for i in self.indicators]}


@dataclass
class Rate:
    numerator: int
    denominator: int

    @property
    def rate(self) -> Decimal | None:
        return percent(self.numerator, self.denominator)

    def as_dict(self) -> dict:
        return {"numerator": self.numerator, "denominator": self.denominator,
                "rate": _s(self.rate)}


@dataclass
class Headline:
    online_share: Rate
    online_payment: Rate
    digitisation: Rate
    electronic_result: Rate
    reuse: Rate
    on_time: Rate
    received: int
    resolved: int
    open_late: int
    avg_processing_days: list[tuple[str, str, Decimal]]

    def as_dict(self) -> dict:
        return {
            **{key: getattr(self, key).as_dict() for key in (
                "online_share", "online_payment", "digitisation", "electronic_result", "reuse",
                "on_time")},
            "received": self.received, "resolved": self.resolved, "open_late": self.open_late,
            "avg_processing_days": [{"procedure": c, "name": n, "days": _s(d)}
                                    for c, n, d in self.avg_processing_days],
        }


@dataclass
class IndexResult:
    scope: Scope
    period: Period
    filters: Filters
    groups: list[GroupResult]
    total: Decimal
    available_points: Decimal
    headline: Headline
    method: str = "fast"

    def indicator(self, code: str) -> IndicatorResult:
        for group in self.groups:
            for result in group.indicators:
                if result.code == code:
                    return result
        raise KeyError(code)

    @property
    def indicators(self) -> list[IndicatorResult]:
        return [i for g in self.groups for i in g.indicators]

    def as_dict(self) -> dict:
        """JSON-ready. Decimals are strings with 2 decimals ("87.50"); absent values are null."""
        return {
            "scope": {"code": self.scope.code, "label": self.scope.label},
            "period": self.period.as_dict(),
            "filters": self.filters.as_dict(),
            "total": _s(self.total),
            "available_points": _s(self.available_points),
            "groups": [g.as_dict() for g in self.groups],
            "headline": self.headline.as_dict(),
        }


def _s(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.quantize(TWO)}"


def percent(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(TWO, ROUND_HALF_UP)


def score(rate: Decimal | None, points: Decimal, threshold: Decimal | None) -> Decimal | None:
    if rate is None:
        return None
    # Multiply first: 43.75 x 9 / 90 is exactly 4.375 (divided first it would be 4.3749...).
    value = min(rate, threshold) * points / threshold if threshold else rate * points / 100
    return value.quantize(TWO, ROUND_HALF_UP)


# -- weights ----------------------------------------------------------------------------------
def weights_on(day: dt.date) -> dict[str, tuple[str, Decimal, Decimal | None]]:
    """``{code: (group, points, threshold)}`` in force on ``day``."""
    from .models import IndicatorWeight

    weights = {i.code: (i.group, i.points, i.threshold) for i in INDICATORS}
    seen = set()
    for row in IndicatorWeight.objects.filter(effective_from__lte=day).order_by(
            "code", "-effective_from"):
        if row.code in seen or row.code not in weights:
            continue
        seen.add(row.code)
        weights[row.code] = (row.group, row.points, row.threshold)
    return weights


# -- filters ----------------------------------------------------------------------------------
@dataclass
class Resolved:
    """Filters resolved to ids."""

    sector_id: int | None = None
    procedure_id: int | None = None


def resolve_filters(filters: Filters) -> Resolved:
    resolved = Resolved()
    if filters.sector:
        sector = Sector.objects.filter(code=filters.sector).first()
        if sector is None:
            raise InvalidInput(_("Không có lĩnh vực mã %(code)s.") % {"code": filters.sector},
                               fields={"sector": [_("Không tồn tại.")]})
        resolved.sector_id = sector.pk
    if filters.procedure:
        procedure = Procedure.objects.filter(national_code=filters.procedure).first()
        if procedure is None:
            raise InvalidInput(
                _("Không có thủ tục mã %(code)s.") % {"code": filters.procedure},
                fields={"procedure": [_("Không tồn tại.")]})
        resolved.procedure_id = procedure.pk
    return resolved


# -- counts: the figures both methods produce -------------------------------------------------
@dataclass
class Counts:
    received: int = 0
    online: int = 0
    online_counted: int = 0
    fee_bearing: int = 0
    paid_online: int = 0
    digitised: int = 0
    reused: int = 0
    store_linked: int = 0
    resolved: int = 0
    resolved_late: int = 0
    with_result: int = 0
    e_result: int = 0
    processing_seconds: int = 0
    open_at_end: int = 0
    open_late: int = 0
    # procedure id -> [online received, with result, processing seconds]
    per_procedure: dict[int, list[int]] = field(default_factory=dict)

    @property
    def judged(self) -> int:
        return self.resolved + self.open_at_end

    @property
    def not_late(self) -> int:
        return self.judged - self.resolved_late - self.open_late


# -- direct computation: straight from the dossiers -------------------------------------------
def end_expression():
    return Coalesce("processed_at", "returned_at", "closed_at")


def scoped_dossiers(scope: Scope, resolved: Resolved) -> QuerySet[Dossier]:
    qs = Dossier.objects.all()
    ids = scope.agency_ids()
    if ids is not None:
        qs = qs.filter(agency_id__in=ids)
    if resolved.procedure_id is not None:
        qs = qs.filter(procedure_id=resolved.procedure_id)
    if resolved.sector_id is not None:
        qs = qs.filter(procedure__sector_id=resolved.sector_id)
    return qs


def _has_e_result():
    return Exists(IssuedDocument.objects.filter(dossier=OuterRef("pk"),
                                                kind=IssuedDocument.Kind.RESULT))


def _has_reuse():
    return Exists(PaperUse.objects.filter(dossier=OuterRef("pk")))


def dossier_sets(scope: Scope, period: Period, resolved: Resolved) -> dict[str, QuerySet]:
    """The querysets behind every dossier figure (see the module docstring)."""
    base = scoped_dossiers(scope, resolved)
    start, end = period.start_at(), period.end_at()
    received = base.filter(received_at__gte=start, received_at__lt=end)
    online = received.filter(channel=Channel.ONLINE)
    fee_bearing = received.filter(fee_amount__gt=0)
    electronic_components = (Q(channel=Channel.ONLINE)
                             | Exists(DossierFile.objects.filter(dossier=OuterRef("pk"),
                                                                 is_digitised=True))
                             | _has_reuse())
    ended = base.annotate(report_end=end_expression())
    resolved_set = ended.filter(received_at__isnull=False, report_end__gte=start,
                                report_end__lt=end).exclude(status=Status.WITHDRAWN)
    with_result = resolved_set.filter(status__in=RESULT_STATUSES)
    open_at_end = ended.filter(received_at__lt=end).filter(
        Q(report_end__isnull=True) | Q(report_end__gte=end))
    return {
        "received": received,
        "online": online,
        "online_counted": online.exclude(
            Q(procedure_version__service_level=ServiceLevel.FULL)
            & Q(status__in=RESULT_STATUSES) & ~_has_e_result()),
        "fee_bearing": fee_bearing,
        "paid_online": fee_bearing.filter(Exists(Payment.objects.filter(
            dossier=OuterRef("pk"), status=PaymentStatus.PAID,
            channel=PaymentChannel.ONLINE))),
        "digitised": received.filter(electronic_components).filter(
            ~Q(status__in=RESULT_STATUSES) | _has_e_result()),
        "reused": received.filter(_has_reuse()),
        "store_linked": received.filter(
            _has_reuse() | Exists(StoredPaper.objects.filter(dossier=OuterRef("pk")))),
        "resolved": resolved_set,
        "with_result": with_result,
        "e_result": with_result.filter(_has_e_result()),
        "open_at_end": open_at_end,
    }


def _late_ids(queryset: QuerySet[Dossier], period_end: dt.datetime) -> tuple[set[int], set[int]]:
    """(all ids, late ids) of the dossiers judged at ``period_end``."""
    all_ids, late = set(), set()
    calendar = None
    for dossier in queryset.select_related("procedure_version").iterator(chunk_size=2000):
        if calendar is None:
            from digigov.worktime.calendar import WorkCalendar

            calendar = WorkCalendar.load()
        verdict = judge_at(dossier, period_end, calendar=calendar)
        if verdict == "":
            continue
        all_ids.add(dossier.pk)
        if verdict == "late":
            late.add(dossier.pk)
    return all_ids, late


def counts_direct(scope: Scope, period: Period, resolved: Resolved) -> Counts:
    sets = dossier_sets(scope, period, resolved)
    counts = Counts()
    for name in ("received", "online", "online_counted", "fee_bearing", "paid_online",
                 "digitised", "reused", "store_linked", "resolved", "with_result", "e_result"):
        setattr(counts, name, sets[name].count())
    end = period.end_at()
    _, late = _late_ids(sets["resolved"], end)
    counts.resolved_late = len(late)
    open_ids, open_late = _late_ids(sets["open_at_end"], end)
    counts.open_at_end, counts.open_late = len(open_ids), len(open_late)
    fast = FastCalendar()
    for procedure_id, n in (sets["online"].order_by().values("procedure_id")
                            .annotate(n=Count("pk")).values_list("procedure_id", "n")):
        counts.per_procedure.setdefault(procedure_id, [0, 0, 0])[0] = n
    for procedure_id, received_at, end_at, paused in sets["with_result"].values_list(
            "procedure_id", "received_at", "report_end", "paused_seconds").iterator():
        seconds = fast.net_processing_seconds(received_at, end_at, paused)
        row = counts.per_procedure.setdefault(procedure_id, [0, 0, 0])
        row[1] += 1
        row[2] += seconds
        counts.processing_seconds += seconds
    return counts


# -- the catalog side (identical in both methods) ---------------------------------------------
def _limit_seconds(version: ProcedureVersion, seconds_per_day: int) -> float | None:
    amount = float(version.time_limit_amount or 0)
    unit = version.time_limit_unit
    if unit == Unit.SAME_DAY:
        return float(seconds_per_day)
    if amount <= 0:
        return None
    if unit == Unit.WORKING_HOURS:
        return amount * 3600
    if unit == Unit.CALENDAR_DAYS:
        return amount * seconds_per_day * 5 / 7
    return amount * seconds_per_day


def _complete_publication(procedure: Procedure, version: ProcedureVersion,
                          components: set[int], agencies: set[int]) -> bool:
    """Decree 63/2010 art. 8: name, steps, method, components, time limit, applicants, agency."""
    has_limit = (version.time_limit_unit == Unit.SAME_DAY or (version.time_limit_amount or 0) > 0
                 or bool(version.time_limit_text.strip()))
    return all((procedure.name.strip(), version.steps_description.strip(), version.method.strip(),
                version.pk in components, has_limit, version.applicant_types,
                procedure.pk in agencies))


@dataclass
class CatalogFigures:
    in_force: dict[int, ProcedureVersion]          # procedure id -> version at period end
    procedures: dict[int, Procedure]
    first_published: tuple[int, int]               # 1.1 (on time, all)
    updated: tuple[int, int]                       # 1.2
    complete: tuple[int, int]                      # 1.3
    online: set[int]                               # procedures offered online (3.1 numerator)
    fee_bearing: set[int]                          # 3.5 denominator
    fee_online: set[int]                           # 3.5 numerator


def catalog_figures(scope: Scope, period: Period, resolved: Resolved) -> CatalogFigures:
    return catalog_figures_by_group({None: scope.agency_ids()}, period, resolved)[None]


def catalog_figures_by_group(groups: dict, period: Period,
                             resolved: Resolved) -> dict[object, CatalogFigures]:
    """``{key: CatalogFigures}`` for groups of agencies (``{key: agency ids}``, None = every
    agency) in a few queries for all of them: each procedure is judged once, then summed per
    group of the agencies competent for it."""
    procedures = Procedure.objects.filter(is_published=True)
    if resolved.procedure_id is not None:
        procedures = procedures.filter(pk=resolved.procedure_id)
    if resolved.sector_id is not None:
        procedures = procedures.filter(sector_id=resolved.sector_id)
    members: dict[object, set[int] | None] = {key: None for key in groups}
    if all(ids is not None for ids in groups.values()):
        group_of: dict[int, list] = {}
        for key, ids in groups.items():
            members[key] = set()
            for agency_id in ids:
                group_of.setdefault(agency_id, []).append(key)
        competent = Procedure.competent_agencies.through.objects.filter(
            agency_id__in=group_of).values_list("procedure_id", "agency_id")
        for procedure_id, agency_id in competent:
            for key in group_of[agency_id]:
                members[key].add(procedure_id)
        procedures = procedures.filter(pk__in={p for m in members.values() for p in m})
    by_id = {p.pk: p for p in procedures}
    versions: dict[int, list[ProcedureVersion]] = {}
    for version in ProcedureVersion.objects.filter(procedure_id__in=by_id).order_by(
            "procedure_id", "effective_from"):
        versions.setdefault(version.procedure_id, []).append(version)
    day = period.end
    in_force = {}
    # procedure id -> [first published on time, first published, updates on time, updates]
    history_counts: dict[int, list[int]] = {}
    tz = timezone.get_current_timezone()
    for pid, history in versions.items():
        row = history_counts[pid] = [0, 0, 0, 0]
        for index, version in enumerate(history):
            if version.effective_from > day:
                continue
            if version.effective_to is None or version.effective_to >= day:
                in_force[pid] = version
            on_time = version.created_at.astimezone(tz).date() <= version.effective_from
            if index == 0:
                row[1] += 1
                row[0] += on_time
            else:
                row[3] += 1
                row[2] += on_time
    version_ids = [v.pk for v in in_force.values()]
    with_components = set(ComponentLookup.version_ids(version_ids))
    with_agencies = set(Procedure.competent_agencies.through.objects.filter(
        procedure_id__in=in_force).values_list("procedure_id", flat=True).distinct())
    complete = {pid for pid, v in in_force.items()
                if _complete_publication(by_id[pid], v, with_components, with_agencies)}
    ruled = set(FeeRule.objects.filter(version_id__in=version_ids, amount__gt=0)
                .values_list("version_id", flat=True))
    fee_bearing = {pid for pid, v in in_force.items()
                   if v.fee_counter > 0 or v.fee_online > 0 or v.pk in ruled}
    online = {pid for pid, v in in_force.items() if v.service_level != ServiceLevel.NONE}
    figures = {}
    for key, pids in members.items():
        pids = set(by_id) if pids is None else pids & set(by_id)
        counted = [history_counts[pid] for pid in pids if pid in history_counts]
        group_in_force = {pid: v for pid, v in in_force.items() if pid in pids}
        group_fees = fee_bearing & pids
        group_online = online & pids
        figures[key] = CatalogFigures(
            in_force=group_in_force, procedures={pid: by_id[pid] for pid in pids},
            first_published=(sum(r[0] for r in counted), sum(r[1] for r in counted)),
            updated=(sum(r[2] for r in counted), sum(r[3] for r in counted)),
            complete=(len(complete & pids), len(group_in_force)), online=group_online,
            fee_bearing=group_fees, fee_online=group_fees & group_online)
    return figures


class ComponentLookup:
    @staticmethod
    def version_ids(version_ids: list[int]) -> list[int]:
        from digigov.catalog.models import ComponentSpec

        return list(ComponentSpec.objects.filter(version_id__in=version_ids)
                    .values_list("version_id", flat=True).distinct())


# -- assembling the index ---------------------------------------------------------------------
def _result(code, weights, numerator, denominator, note="", drilldown=False,
            rate=None) -> IndicatorResult:
    indicator = BY_CODE[code]
    group, points, threshold = weights[code]
    if not indicator.available:
        return IndicatorResult(code, group, str(indicator.name), None, None, None, threshold,
                               points, None, False, str(indicator.unavailable_note), False)
    if rate is None:
        rate = percent(numerator, denominator) if denominator else None
    available = rate is not None
    if not available and not note:
        note = _("Không có dữ liệu trong kỳ (mẫu số bằng 0).")
    return IndicatorResult(code, group, str(indicator.name), numerator, denominator, rate,
                           threshold, points, score(rate, points, threshold) if available
                           else None, available, str(note), drilldown)


class PeriodLookups:
    """What scoring reads besides the counts and the catalog, for one period: the weights and
    the procedures (with their version at the period end) that had dossiers. Loaded once when
    many indexes of the same period are assembled (the ranking)."""

    def __init__(self, period: Period):
        self.period = period
        self.weights = weights_on(period.end)
        self.seconds_per_day = seconds_per_day()
        self._procedures: dict[int, Procedure] = {}
        self._versions: dict[int, ProcedureVersion | None] = {}

    def procedure(self, pid: int, catalog: CatalogFigures) -> Procedure:
        procedure = catalog.procedures.get(pid)
        if procedure is None:
            procedure = self._procedures.get(pid)
        if procedure is None:
            procedure = self._procedures[pid] = Procedure.objects.get(pk=pid)
        return procedure

    def version(self, procedure: Procedure, catalog: CatalogFigures) -> ProcedureVersion | None:
        version = catalog.in_force.get(procedure.pk)
        if version is None:
            if procedure.pk not in self._versions:
                self._versions[procedure.pk] = procedure.version_on(
                    self.period.end_at() - dt.timedelta(seconds=1))
            version = self._versions[procedure.pk]
        return version


def _assemble(scope: Scope, period: Period, filters: Filters, counts: Counts,
              catalog: CatalogFigures, method: str,
              lookups: PeriodLookups | None = None) -> IndexResult:
    lookups = lookups or PeriodLookups(period)
    weights = lookups.weights
    spd = lookups.seconds_per_day
    on_time_in = _("Chưa gồm hồ sơ có khiếu nại: digigov chưa quản lý khiếu nại, tỷ lệ khiếu "
                   "nại được tính bằng 0.")
    # 2.2: procedures whose average net processing time is within their time limit.
    averages = []
    within = measured = 0
    for pid, (_online, n, seconds) in sorted(counts.per_procedure.items()):
        if not n:
            continue
        procedure = lookups.procedure(pid, catalog)
        average = Decimal(seconds) / Decimal(n) / Decimal(spd)
        averages.append((procedure.national_code, procedure.name, average.quantize(TWO)))
        version = lookups.version(procedure, catalog)
        limit = _limit_seconds(version, spd) if version else None
        if limit is None:
            continue
        measured += 1
        within += (seconds / n) <= limit
    averages.sort()
    online_with_dossiers = {pid for pid, row in counts.per_procedure.items() if row[0]}
    late_rate = percent(counts.resolved_late + counts.open_late, counts.judged)
    satisfaction = None if late_rate is None else (Decimal(100) - late_rate).quantize(TWO)
    results = [
        _result("1.1", weights, catalog.first_published[0], catalog.first_published[1],
                _("Thủ tục có phiên bản đầu tiên được nhập trước hoặc đúng ngày có hiệu lực.")),
        _result("1.2", weights, catalog.updated[0], catalog.updated[1],
                _("Phiên bản sửa đổi được nhập trước hoặc đúng ngày có hiệu lực.")),
        _result("1.3", weights, catalog.complete[0], catalog.complete[1],
                _("Đủ tên, trình tự, cách thức, thành phần hồ sơ, thời hạn, đối tượng và cơ "
                  "quan thực hiện (Nghị định 63/2010, Điều 8).")),
        _result("1.4", weights, None, None),
        _result("2.1", weights, counts.not_late, counts.judged,
                _("Hồ sơ giải quyết xong trong kỳ và hồ sơ còn tồn cuối kỳ (đánh giá tại "
                  "ngày cuối kỳ)."), drilldown=True),
        _result("2.2", weights, within, measured,
                _("Thủ tục có thời gian giải quyết trung bình (trừ thời gian bổ sung) không "
                  "vượt thời hạn quy định.")),
        _result("3.1", weights, len(catalog.online), len(catalog.in_force)),
        _result("3.2", weights, len(online_with_dossiers & catalog.online), len(catalog.online)),
        _result("3.3", weights, counts.online_counted, counts.received,
                _("Hồ sơ trực tuyến của dịch vụ toàn trình chỉ được tính khi có kết quả điện "
                  "tử."), drilldown=True),
        _result("3.5", weights, len(catalog.fee_online), len(catalog.fee_bearing)),
        _result("3.6", weights, counts.paid_online, counts.fee_bearing, drilldown=True),
        _result("4.1", weights, counts.e_result, counts.with_result, drilldown=True),
        _result("4.2", weights, counts.digitised, counts.received, drilldown=True),
        _result("4.3", weights, counts.reused, counts.received, drilldown=True),
        _result("4.4", weights, counts.store_linked, counts.received, drilldown=True),
        _result("4.5", weights, None, None),
        _result("5.1", weights, None, None),
        _result("5.2", weights, None, None),
        _result("5.3", weights, None, None),
        _result("5.4", weights, counts.not_late, counts.judged, on_time_in, drilldown=True,
                rate=satisfaction),
    ]
    groups = []
    for code, name in GROUPS:
        members = [r for r in results if r.group == code]
        points = sum((r.points for r in members), Decimal(0))
        earned = sum((r.score for r in members if r.score is not None), Decimal(0))
        groups.append(GroupResult(code, str(name), points, earned, members))
    total = sum((g.score for g in groups), Decimal(0))
    available_points = sum((r.points for r in results if r.available), Decimal(0))
    headline = Headline(
        online_share=Rate(counts.online, counts.received),
        online_payment=Rate(counts.paid_online, counts.fee_bearing),
        digitisation=Rate(counts.digitised, counts.received),
        electronic_result=Rate(counts.e_result, counts.with_result),
        reuse=Rate(counts.reused, counts.received),
        on_time=Rate(counts.not_late, counts.judged),
        received=counts.received, resolved=counts.resolved, open_late=counts.open_late,
        avg_processing_days=averages,
    )
    return IndexResult(scope, period, filters, groups, total, available_points, headline,
                       method)


def compute_index(scope: Scope, period: Period, filters: Filters | None = None,
                  *, method: str = "fast") -> IndexResult:
    """The index. ``method="direct"`` counts straight from the dossiers; ``"fast"`` reads the
    rollup (brought up to date first)."""
    filters = filters or Filters()
    resolved = resolve_filters(filters)
    if method == "direct":
        counts = counts_direct(scope, period, resolved)
    elif method == "fast":
        from . import rollup

        counts = rollup.counts_fast(scope, period, resolved)
    else:
        raise InvalidInput(_("Phương pháp tính không hợp lệ."),
                           fields={"method": [_("Chọn fast hoặc direct.")]})
    catalog = catalog_figures(scope, period, resolved)
    return _assemble(scope, period, filters, counts, catalog, method)


# -- drilldown ----------------------------------------------------------------------------------
_SET_FOR = {
    # code: (numerator set, denominator set)
    "3.3": ("online_counted", "received"),
    "3.6": ("paid_online", "fee_bearing"),
    "4.1": ("e_result", "with_result"),
    "4.2": ("digitised", "received"),
    "4.3": ("reused", "received"),
    "4.4": ("store_linked", "received"),
    "online_share": ("online", "received"),
    "online_payment": ("paid_online", "fee_bearing"),
    "digitisation": ("digitised", "received"),
    "electronic_result": ("e_result", "with_result"),
    "reuse": ("reused", "received"),
    "received": ("received", "received"),
    "resolved": ("resolved", "resolved"),
}


def drilldown(scope: Scope, period: Period, code: str, part: str = "numerator",
              filters: Filters | None = None) -> QuerySet[Dossier]:
    """The dossiers behind a numerator or denominator: their count equals the figure."""
    if part not in ("numerator", "denominator"):
        raise InvalidInput(_("Phần cần xem phải là tử số hoặc mẫu số."),
                           fields={"part": [_("Chọn numerator hoặc denominator.")]})
    if code not in DOSSIER_INDICATORS and code not in HEADLINE_KEYS:
        raise InvalidInput(_("Chỉ tiêu %(code)s không liệt kê được theo hồ sơ.") % {"code": code},
                           fields={"code": [_("Không hợp lệ.")]})
    resolved = resolve_filters(filters or Filters())
    sets = dossier_sets(scope, period, resolved)
    if code in ("2.1", "5.4", "on_time", "open_late"):
        end = period.end_at()
        resolved_ids, resolved_late = _late_ids(sets["resolved"], end)
        open_ids, open_late = _late_ids(sets["open_at_end"], end)
        if code == "open_late":
            ids = open_late
        elif part == "denominator":
            ids = resolved_ids | open_ids
        else:
            ids = (resolved_ids | open_ids) - resolved_late - open_late
        return Dossier.objects.filter(pk__in=ids)
    numerator, denominator = _SET_FOR[code]
    chosen = sets[numerator if part == "numerator" else denominator]
    return Dossier.objects.filter(pk__in=chosen.values("pk"))


def ranking(scope: Scope, period: Period, filters: Filters | None = None) -> list[IndexResult]:
    """The direct sub-units of ``scope`` ranked by total, best first (ties by code)."""
    from .subunits import subunit_indexes

    # The same figures as compute_index of each sub-unit, in a few grouped queries for all.
    results = subunit_indexes(scope, period, filters)
    results.sort(key=lambda r: (-r.total, r.scope.code or ""))
    return results


def trend(scope: Scope, period: Period, count: int = 6,
          filters: Filters | None = None) -> list[IndexResult]:
    """The index over ``count`` periods of the same kind, oldest first, ending with ``period``."""
    return [compute_index(scope, p, filters) for p in previous_periods(period, count)]


def late_open_dossiers(scope: Scope, *, now: dt.datetime | None = None) -> QuerySet[Dossier]:
    """Open dossiers past their appointment date (the apology's new date when there is one),
    most overdue first. Dossiers waiting for the applicant's supplement are not listed."""
    now = now or timezone.now()
    qs = Dossier.objects.filter(status__in=OPEN_STATUSES, received_at__isnull=False).exclude(
        status=Status.SUPPLEMENT_REQUESTED)
    ids = scope.agency_ids()
    if ids is not None:
        qs = qs.filter(agency_id__in=ids)
    qs = qs.annotate(report_due=Coalesce("apology_due_at", "due_at"))
    return qs.filter(report_due__lt=now).order_by("report_due", "pk")


__all__ = [
    "Filters", "IndicatorResult", "GroupResult", "Rate", "Headline", "IndexResult",
    "compute_index", "drilldown", "ranking", "trend", "late_open_dossiers", "definitions",
]
