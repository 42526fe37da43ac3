"""The plain data a document template sees (the sandbox's whole world).

Only strings, numbers, dates in Vietnam time, lists and dicts: no model
instances. ``sample_context`` gives the same shape with made-up values, used
to validate a template before it is saved and for the admin preview.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from digigov.dossiers import selectors
from digigov.dossiers.models import Dossier
from digigov.orgs.models import Agency

VN = ZoneInfo("Asia/Ho_Chi_Minh")


class Answers(dict):
    """The declaration's answers: a field the procedure does not ask reads as empty.

    Filter arguments (``default:form.full_name``) raise on a missing key
    instead of reading as empty, so every lookup must succeed.
    """

    def __missing__(self, key):
        return ""


def vnd(amount: int | None) -> str:
    """8000 -> "8.000 đồng"."""
    return f"{int(amount or 0):,} đồng".replace(",", ".")


def local(value: dt.datetime | None) -> dt.datetime | None:
    return value.astimezone(VN) if value is not None else None


def moment_text(value: dt.datetime | None) -> str:
    """"09 giờ 00 phút, ngày 02/03/2026", as the one-stop slips write a time."""
    if value is None:
        return ""
    t = value.astimezone(VN)
    return f"{t:%H} giờ {t:%M} phút, ngày {t:%d/%m/%Y}"


def date_line(place: str, value: dt.datetime | dt.date | None) -> str:
    """Decree 30: "Lạng Sơn, ngày 02 tháng 3 năm 2026"; day and month 1-2 take a leading zero."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(VN).date()
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    words = f"ngày {value.day:02d} tháng {month} năm {value.year}"
    return f"{place}, {words}" if place else words[0].upper() + words[1:]


def place_of(agency: Agency | None) -> str:
    """The place name of the date line: the nearest area up the agency tree."""
    seen = set()
    while agency is not None and agency.pk not in seen:
        seen.add(agency.pk)
        if agency.area_id:
            return agency.area.name.removeprefix("Tỉnh ").removeprefix("Thành phố ")
        agency = agency.parent
    return ""


def agency_data(agency: Agency) -> dict:
    return {"name": agency.name, "code": agency.code, "address": agency.address,
            "phone": agency.phone, "email": agency.email,
            "parent_name": agency.parent.name if agency.parent_id else "",
            "place": place_of(agency)}


def _amount(value: Decimal) -> str:
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f").replace(".", ",")


def time_limit(version) -> str:
    if version.time_limit_text:
        return version.time_limit_text
    if version.time_limit_unit == "same_day":
        return str(version.get_time_limit_unit_display())
    return f"{_amount(version.time_limit_amount)} {version.get_time_limit_unit_display()}"


def _person(user) -> str:
    return user.full_name if user is not None else ""


def _dates(prefix: str, value: dt.datetime | None) -> dict:
    return {prefix: local(value), f"{prefix}_text": moment_text(value)}


def dossier_data(dossier: Dossier) -> dict:
    version = dossier.procedure_version
    data = {
        "code": dossier.code, "uuid": str(dossier.uuid),
        "procedure_name": dossier.procedure.name,
        "procedure_code": dossier.procedure.national_code,
        "channel": str(dossier.get_channel_display()),
        "status": str(dossier.get_status_display()),
        "time_limit": time_limit(version), "result_type": version.result_type,
        "legal_basis": version.legal_basis, "fee": vnd(dossier.fee_amount),
        "fee_amount": dossier.fee_amount, "result_summary": dossier.result_summary,
        "closing_reason": dossier.closing_reason,
        "timeliness": str(dossier.get_timeliness_display()) if dossier.timeliness else "",
    }
    for name in ("submitted_at", "received_at", "due_at", "apology_due_at", "processed_at",
                 "returned_at", "closed_at"):
        data.update(_dates(name, getattr(dossier, name)))
    return data


def applicant_data(dossier: Dossier) -> dict:
    return {"name": dossier.applicant_name, "id_number": dossier.applicant_id_number,
            "address": dossier.applicant_address, "phone": dossier.applicant_phone,
            "email": dossier.applicant_email}


def _components(dossier: Dossier) -> list[dict]:
    counts: dict = {}
    for f in dossier.files.all():
        counts[f.component_id] = counts.get(f.component_id, 0) + 1
    rows = [{"name": c.name, "copies": c.copies, "files": counts[c.pk]}
            for c in dossier.procedure_version.components.all() if c.pk in counts]
    if None in counts:
        rows.append({"name": "Giấy tờ khác", "copies": "", "files": counts[None]})
    return rows


def _steps(dossier: Dossier) -> list[dict]:
    rows = []
    for i, r in enumerate(dossier.step_records.all()):
        giver = _person(r.giver) or (dossier.applicant_name if i == 0 else "")
        rows.append({"agency": r.agency.name, "name": r.name, "started_at": local(r.started_at),
                     "started_at_text": moment_text(r.started_at), "giver": giver,
                     "receiver": _person(r.receiver),
                     "result": str(r.get_timeliness_display()) if r.timeliness else "Đang xử lý",
                     "note": r.note})
    if dossier.returned_at:
        rows.append({"agency": dossier.agency.name, "name": "Trả kết quả",
                     "started_at": local(dossier.returned_at),
                     "started_at_text": moment_text(dossier.returned_at),
                     "giver": _person(selectors.last_actor(dossier, "return_result")),
                     "receiver": dossier.applicant_name,
                     "result": str(dossier.get_timeliness_display()), "note": ""})
    return rows


def base_context(dossier: Dossier) -> dict:
    form = Answers(dossier.form_data)
    rows = selectors.form_data_rows(dossier)
    fields = {f.key: f for f in dossier.procedure_version.form_fields.all()}
    for key, field in fields.items():
        if key in form and field.type == "date":
            with contextlib.suppress(ValueError):
                form[key] = dt.date.fromisoformat(str(form[key])).strftime("%d/%m/%Y")
    return {
        "dossier": dossier_data(dossier), "agency": agency_data(dossier.agency),
        "applicant": applicant_data(dossier), "form": form,
        "form_rows": [{"label": label, "value": value} for label, value in rows],
        "site_name": settings.SITE_NAME, "public_base_url": settings.PUBLIC_BASE_URL,
        "today": timezone.now().astimezone(VN).date(),
    }


def form_context(dossier: Dossier, number: str) -> tuple[dict, dt.datetime | None]:
    """The context of one-stop form ``number`` and the date the form bears."""
    context = base_context(dossier)
    date, signer = None, None
    if number == "01":
        date, signer = dossier.received_at, dossier.received_by
        context["components"] = _components(dossier)
    elif number == "02":
        supplement = dossier.supplements.order_by("-requested_at").first()
        date, signer = supplement.requested_at, supplement.requested_by
        context["supplement"] = {"reason": supplement.reason, "items": list(supplement.items),
                                 **_dates("requested_at", supplement.requested_at)}
    elif number == "03":
        date, signer = dossier.closed_at, selectors.last_actor(dossier, "refuse")
    elif number == "04":
        apology = dossier.apologies.order_by("-created_at").first()
        date, signer = apology.created_at, apology.created_by
        context["apology"] = {"reason": apology.reason,
                              **_dates("previous_due_at", apology.previous_due_at),
                              **_dates("new_due_at", apology.new_due_at)}
    elif number == "05":
        date, signer = dossier.closed_at, selectors.last_actor(dossier, "stop")
    elif number == "06":
        date = timezone.now()
        context["steps"] = _steps(dossier)
    context["officer"] = {"name": _person(signer)}
    context["date"] = local(date)
    return context, date


def sample_context() -> dict:
    """Made-up values with every key a real context has, for validation and preview."""
    now = timezone.now().astimezone(VN).replace(microsecond=0)
    dossier = {
        "code": "000.00.12.H37-260302-0001", "uuid": "00000000-0000-4000-8000-000000000000",
        "procedure_name": "Thủ tục đăng ký khai sinh", "procedure_code": "1.001193.000.00.00.H37",
        "channel": "Trực tuyến", "status": "Đã tiếp nhận", "time_limit": "3 ngày làm việc",
        "result_type": "Giấy khai sinh (bản chính)", "legal_basis": "Luật Hộ tịch 2014",
        "fee": vnd(8000), "fee_amount": 8000, "result_summary": "Đã cấp Giấy khai sinh.",
        "closing_reason": "Hồ sơ không thuộc thẩm quyền giải quyết.", "timeliness": "Đúng hạn",
    }
    for name in ("submitted_at", "received_at", "due_at", "apology_due_at", "processed_at",
                 "returned_at", "closed_at"):
        dossier.update(_dates(name, now))
    step = {"agency": "UBND xã Mẫu", "name": "Tiếp nhận hồ sơ", "started_at": now,
            "started_at_text": moment_text(now), "giver": "Nguyễn Văn Mẫu",
            "receiver": "Trần Thị Cán Bộ", "result": "Đúng hạn", "note": ""}
    return {
        "dossier": dossier,
        "agency": {"name": "UBND xã Mẫu", "code": "000.01.37.H37", "address": "Thôn Mẫu",
                   "phone": "0205 3800 000", "email": "xamau@example.vn",
                   "parent_name": "UBND tỉnh Lạng Sơn", "place": "Lạng Sơn"},
        "applicant": {"name": "Nguyễn Văn Mẫu", "id_number": "020190001234",
                      "address": "Thôn Mẫu, xã Mẫu", "phone": "0912345678",
                      "email": "mau@example.vn"},
        "form": Answers({"child_name": "Nguyễn Văn Bé", "birth_date": "01/03/2026", "sex": "Nam",
                 "birth_place": "Lạng Sơn", "full_name": "Nguyễn Văn Mẫu",
                 "certificate_kind": "Phiếu số 1", "copies": "1", "purpose": "Xin việc làm",
                 "document_title": "Bằng tốt nghiệp", "documents": "1",
                 "destination_country": "Nhật Bản", "issuing_country": "Nhật Bản"}),
        "form_rows": [{"label": "Họ tên trẻ", "value": "Nguyễn Văn Bé"}],
        "components": [{"name": "Tờ khai đăng ký khai sinh", "copies": "01 bản chính",
                        "files": 1}],
        "supplement": {"reason": "Thiếu giấy tờ.", "items": ["Giấy chứng sinh"],
                       **_dates("requested_at", now)},
        "apology": {"reason": "Cần xác minh thêm.", **_dates("previous_due_at", now),
                    **_dates("new_due_at", now)},
        "steps": [step], "rows": [], "date_from": now.date(), "date_to": now.date(),
        "officer": {"name": "Trần Thị Cán Bộ"}, "date": now, "number": "",
        "verification_url": f"{settings.PUBLIC_BASE_URL}/xac-thuc/{dossier['uuid']}/",
        "site_name": settings.SITE_NAME, "public_base_url": settings.PUBLIC_BASE_URL,
        "today": now.date(),
    }
