"""Automatic datasets, regenerated from the platform's own data.

* ``danh-muc-thu-tuc-hanh-chinh``: the published procedure catalog (version in
  force today), as CSV, JSON and XLSX.
* ``chi-so-chat-luong-phuc-vu``: the service-quality figures of Decision
  766/QĐ-TTg, per unit and month: the index total, the group scores and the
  headline rates. Aggregates only; no dossier, no person.

``refresh_all`` is run by ``digigov opendata_refresh`` (cron); pages and APIs
call ``ensure_fresh`` so that a stale dataset is regenerated on demand. A
file is rewritten only when its content changes, and the dataset's
``data_modified`` moves only then.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from digigov.audit.services import record
from digigov.catalog.models import ProcedureVersion
from digigov.catalog.selectors import published_procedures
from digigov.orgs.models import Agency

from .files import MEDIA_TYPES
from .models import Dataset, Group
from .services import store_generated

logger = logging.getLogger(__name__)

PROCEDURES = "danh-muc-thu-tuc-hanh-chinh"
SERVICE_QUALITY = "chi-so-chat-luong-phuc-vu"
PUBLIC_SERVICES_GROUP = "dich-vu-cong"

PROCEDURE_FIELDS = [
    "national_code", "name", "name_en", "sector_code", "sector_name", "level", "level_label",
    "service_level", "service_level_label", "time_limit_amount", "time_limit_unit",
    "time_limit_unit_label", "time_limit_text", "fee_counter_vnd", "fee_online_vnd",
    "fee_note", "result_type", "legal_basis", "effective_from", "competent_agency_codes",
    "competent_agency_names",
]
HEADLINE_RATES = ["online_share", "online_payment", "digitisation", "electronic_result", "reuse",
                  "on_time"]


@dataclass
class Refreshed:
    dataset: Dataset
    changed: bool


def max_age() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "OPENDATA_REFRESH_MAX_AGE", 3600)))


def default_publisher() -> Agency | None:
    """The agency that publishes the automatic datasets: OPENDATA_PUBLISHER (organ code), else
    the first active top-level agency (a province before a ministry)."""
    code = getattr(settings, "OPENDATA_PUBLISHER", "")
    if code:
        return Agency.objects.filter(code=code).first()
    top = Agency.objects.active().filter(parent__isnull=True).order_by("code")
    return top.filter(level=Agency.Level.PROVINCE).first() or top.first()


def _group() -> Group:
    group, _created = Group.objects.get_or_create(
        name=PUBLIC_SERVICES_GROUP,
        defaults={"title": "Dịch vụ công",
                  "description": "Thủ tục hành chính, dịch vụ công trực tuyến và chất lượng "
                                 "phục vụ người dân, doanh nghiệp."})
    return group


# -- content -----------------------------------------------------------------------------------
def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def procedure_rows(on: dt.date | None = None) -> list[dict]:
    """One row per published procedure with a version in force on ``on`` (default today)."""
    day = on or timezone.localdate()
    procedures = list(published_procedures(day).prefetch_related("competent_agencies")
                      .order_by("national_code"))
    versions: dict[int, ProcedureVersion] = {}
    in_force = (Q(effective_from__lte=day)
                & (Q(effective_to__isnull=True) | Q(effective_to__gte=day)))
    for version in (ProcedureVersion.objects.filter(in_force, procedure__in=procedures)
                    .order_by("procedure_id", "-effective_from")):
        versions.setdefault(version.procedure_id, version)
    rows = []
    with override("vi"):
        for p in procedures:
            v = versions[p.pk]
            agencies = sorted((a for a in p.competent_agencies.all() if a.is_active),
                              key=lambda a: a.code)
            rows.append({
                "national_code": p.national_code, "name": p.name, "name_en": p.name_en,
                "sector_code": p.sector.code, "sector_name": p.sector.name,
                "level": p.level, "level_label": str(p.get_level_display()),
                "service_level": v.service_level,
                "service_level_label": str(v.get_service_level_display()),
                "time_limit_amount": v.time_limit_amount, "time_limit_unit": v.time_limit_unit,
                "time_limit_unit_label": str(v.get_time_limit_unit_display()),
                "time_limit_text": v.time_limit_text, "fee_counter_vnd": v.fee_counter,
                "fee_online_vnd": v.fee_online, "fee_note": v.fee_note,
                "result_type": v.result_type, "legal_basis": v.legal_basis,
                "effective_from": v.effective_from,
                "competent_agency_codes": ";".join(a.code for a in agencies),
                "competent_agency_names": ";".join(a.name for a in agencies),
            })
    return rows


def catalog_changed_at() -> dt.datetime | None:
    """The last change of the published catalog's data (procedure or version)."""
    a = published_procedures().aggregate(m=Max("updated_at"))["m"]
    b = ProcedureVersion.objects.aggregate(m=Max("created_at"))["m"]
    return max((x for x in (a, b) if x), default=None)


def quality_rows(*, today: dt.date | None = None) -> tuple[list[str], list[dict]]:
    """Per unit and month: the index total, group scores and headline rates (aggregates)."""
    from digigov.reports import index, periods, scopes

    today = today or timezone.localdate()
    months = int(getattr(settings, "OPENDATA_QUALITY_MONTHS", 6))
    depth = int(getattr(settings, "OPENDATA_QUALITY_DEPTH", 2))
    units, frontier = [scopes.scope_for(None)], [scopes.scope_for(None)]
    for _level in range(depth):
        frontier = [child for scope in frontier for child in scopes.children(scope)]
        units.extend(frontier)
    months_list = periods.previous_periods(periods.current("month", today), months)
    rows, group_codes = [], []
    with override("vi"):
        for scope in units:
            for period in months_list:
                result = index.compute_index(scope, period)
                row = {
                    "unit_code": scope.code or "", "unit_name": str(scope.label),
                    "period_kind": period.kind, "period_label": str(period.label),
                    "period_start": period.start, "period_end": period.end,
                    "period_complete": "yes" if period.end < today else "no",
                    "index_total": result.total, "available_points": result.available_points,
                }
                for group in result.groups:
                    key = f"group_{group.code}_score"
                    if key not in group_codes:
                        group_codes.append(key)
                    row[key] = group.score
                    row[f"group_{group.code}_points"] = group.points
                headline = result.headline
                for name in HEADLINE_RATES:
                    rate = getattr(headline, name)
                    row[f"{name}_rate"] = rate.rate
                row["received"] = headline.received
                row["resolved"] = headline.resolved
                row["open_late"] = headline.open_late
                rows.append(row)
    fields = ["unit_code", "unit_name", "period_kind", "period_label", "period_start",
              "period_end", "period_complete", "index_total", "available_points"]
    for key in group_codes:
        fields += [key, key.replace("_score", "_points")]
    fields += [f"{name}_rate" for name in HEADLINE_RATES] + ["received", "resolved", "open_late"]
    return fields, rows


def to_csv(fields: list[str], rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([_text(row.get(f)) for f in fields])
    return out.getvalue().encode("utf-8")


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_json(fields: list[str], rows: list[dict]) -> bytes:
    records = [{f: _json_value(row.get(f)) for f in fields} for row in rows]
    return json.dumps({"fields": fields, "records": records}, ensure_ascii=False,
                      indent=1).encode("utf-8")


def to_xlsx(fields: list[str], rows: list[dict], *, title: str, when: dt.datetime) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(fields)
    for row in rows:
        sheet.append([_json_value(row.get(f)) if row.get(f) is not None else None
                      for f in fields])
    naive = timezone.make_naive(when, dt.UTC) if timezone.is_aware(when) else when
    workbook.properties.created = workbook.properties.modified = naive
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# -- datasets ----------------------------------------------------------------------------------
def _dataset(kind: str, name: str, publisher: Agency | None = None, **defaults
             ) -> Dataset | None:
    dataset = Dataset.objects.filter(automatic=kind).first()
    if dataset:
        return dataset
    publisher = publisher or default_publisher()
    if publisher is None:
        return None
    from .services import create_dataset

    dataset = create_dataset(actor=None, publisher=publisher, name=name, automatic=kind,
                             groups=[_group()], licence_id="CC-BY-4.0",
                             contact_name=publisher.name, contact_email=publisher.email,
                             **defaults)
    return dataset


def _write(dataset: Dataset, fields, rows, *, now: dt.datetime, data_time: dt.datetime,
           sheet: str) -> bool:
    csv_bytes = to_csv(fields, rows)
    import hashlib

    current = dataset.resources.filter(format="CSV").first()
    have_all = dataset.resources.filter(format__in=["CSV", "JSON", "XLSX"]).count() == 3
    if current and have_all and current.sha256 == hashlib.sha256(csv_bytes).hexdigest():
        return False
    title = dataset.title
    store_generated(dataset, "CSV", csv_bytes, name=f"{title} (CSV)",
                    description=_("Bảng dữ liệu, mã UTF-8, phân cách bằng dấu phẩy."),
                    media_type=MEDIA_TYPES["CSV"], now=now)
    store_generated(dataset, "JSON", to_json(fields, rows), name=f"{title} (JSON)",
                    description=_("Đối tượng JSON: danh sách trường và các bản ghi."),
                    media_type=MEDIA_TYPES["JSON"], now=now)
    store_generated(dataset, "XLSX", to_xlsx(fields, rows, title=sheet, when=data_time),
                    name=f"{title} (XLSX)", description=_("Bảng tính Excel."),
                    media_type=MEDIA_TYPES["XLSX"], now=now)
    return True


def _finish(dataset: Dataset, changed: bool, *, now: dt.datetime, data_time: dt.datetime,
            temporal: tuple[dt.date | None, dt.date | None] = (None, None)) -> Dataset:
    updates = {"refreshed_at": now}
    if changed:
        updates.update(data_modified=data_time, metadata_modified=now,
                       temporal_start=temporal[0], temporal_end=temporal[1])
    if dataset.issued_at is None and dataset.resources.exists():
        # Published when first generated; an administrator who withdraws it keeps it withdrawn.
        updates.update(state=Dataset.State.PUBLISHED, issued_at=now)
    Dataset.objects.filter(pk=dataset.pk).update(**updates)
    if changed:
        record(actor=None, action="opendata_refresh", obj=dataset)
    dataset.refresh_from_db()
    return dataset


def _lock(dataset: Dataset) -> Dataset | None:
    # Another process regenerating the same dataset holds the row: let it finish.
    return Dataset.objects.select_for_update(skip_locked=True).filter(pk=dataset.pk).first()


def refresh_procedures(*, now: dt.datetime | None = None,
                       publisher: Agency | None = None) -> Refreshed | None:
    """Regenerate the dataset; ``publisher`` names the agency when it is first created."""
    now = now or timezone.now()
    with transaction.atomic():
        dataset = _dataset(
            Dataset.Automatic.PROCEDURES, PROCEDURES, publisher,
            title="Danh mục thủ tục hành chính",
            notes=("Các thủ tục hành chính đang được công bố, theo phiên bản đang có hiệu lực: "
                   "mã, tên, lĩnh vực, cấp thực hiện, mức độ dịch vụ công trực tuyến, thời hạn "
                   "giải quyết, phí và lệ phí, kết quả, căn cứ pháp lý, cơ quan có thẩm quyền."),
            tags=["thủ tục hành chính", "dịch vụ công"], frequency=Dataset.Frequency.DAILY)
        if dataset is None:
            return None
        locked = _lock(dataset)
        if locked is None:
            return Refreshed(dataset, False)
        rows = procedure_rows()
        data_time = catalog_changed_at() or now
        changed = _write(locked, PROCEDURE_FIELDS, rows, now=now, data_time=data_time,
                         sheet="thu-tuc")
        return Refreshed(_finish(locked, changed, now=now, data_time=min(data_time, now)),
                         changed)


def refresh_service_quality(*, now: dt.datetime | None = None,
                            publisher: Agency | None = None) -> Refreshed | None:
    """Regenerate the dataset; ``publisher`` names the agency when it is first created."""
    now = now or timezone.now()
    with transaction.atomic():
        dataset = _dataset(
            Dataset.Automatic.SERVICE_QUALITY, SERVICE_QUALITY, publisher,
            title="Chỉ số chất lượng phục vụ người dân, doanh nghiệp",
            notes=("Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, "
                   "doanh nghiệp trong thực hiện thủ tục hành chính, dịch vụ công (Quyết định "
                   "766/QĐ-TTg) theo từng đơn vị và từng tháng: điểm tổng, điểm từng nhóm chỉ "
                   "số và các tỷ lệ chính. Chỉ gồm số liệu tổng hợp, không có dữ liệu cá nhân."),
            tags=["chỉ số phục vụ", "dịch vụ công", "thống kê"],
            frequency=Dataset.Frequency.DAILY)
        if dataset is None:
            return None
        locked = _lock(dataset)
        if locked is None:
            return Refreshed(dataset, False)
        fields, rows = quality_rows(today=timezone.localdate(now))
        changed = _write(locked, fields, rows, now=now, data_time=now, sheet="chi-so")
        starts = [r["period_start"] for r in rows]
        ends = [r["period_end"] for r in rows]
        temporal = (min(starts), max(ends)) if rows else (None, None)
        return Refreshed(_finish(locked, changed, now=now, data_time=now, temporal=temporal),
                         changed)


REFRESHERS = {
    Dataset.Automatic.PROCEDURES: refresh_procedures,
    Dataset.Automatic.SERVICE_QUALITY: refresh_service_quality,
}


def refresh_all(*, now: dt.datetime | None = None,
                publisher: Agency | None = None) -> list[Refreshed]:
    done = []
    for refresh in REFRESHERS.values():
        result = refresh(now=now, publisher=publisher)
        if result is not None:
            done.append(result)
    return done


def is_stale(dataset: Dataset, *, now: dt.datetime | None = None) -> bool:
    if not dataset.automatic:
        return False
    now = now or timezone.now()
    if dataset.refreshed_at is None or now - dataset.refreshed_at > max_age():
        return True
    if dataset.automatic == Dataset.Automatic.PROCEDURES:
        changed = catalog_changed_at()
        return changed is not None and changed > dataset.refreshed_at
    return False


def refresh_stale(*, now: dt.datetime | None = None) -> None:
    """Regenerate every stale automatic dataset (called before lists and searches)."""
    for dataset in Dataset.objects.exclude(automatic=""):
        ensure_fresh(dataset, now=now)


def ensure_fresh(dataset: Dataset, *, now: dt.datetime | None = None) -> Dataset:
    """Regenerate an automatic dataset on demand when it is stale; the fresh dataset."""
    if not is_stale(dataset, now=now):
        return dataset
    try:
        result = REFRESHERS[dataset.automatic](now=now)
    except Exception:
        # A reader still gets the last good files; the cron command reports the failure.
        logger.exception("Regenerating the open dataset %s failed", dataset.name)
        return dataset
    return result.dataset if result else dataset
