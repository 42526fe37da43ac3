"""Dossiers: submission, the scoped list, detail, audit timeline and control sheet."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Form, Query, Router, Schema

from digigov.api.access import json_response, visible_dossier
from digigov.api.auth import AUTH
from digigov.api.idempotency import respond_idempotently
from digigov.api.multipart import component_files, parse_form_data
from digigov.api.openapi import COMPONENT_FILES_MARKER, PROBLEMS
from digigov.api.pagination import PageParams, paginate
from digigov.api.presenters import (
    DOSSIER_RELATED,
    control_sheet,
    dossier_detail,
    dossier_events,
    dossier_summary,
)
from digigov.api.schemas.dossiers import (
    ControlSheetOut,
    DossierDetail,
    DossierPage,
    DossierSubmission,
    EventOut,
)
from digigov.core.errors import InvalidInput
from digigov.dossiers import intake_catalog, services
from digigov.dossiers.models import OPEN_STATUSES, Channel, Status
from digigov.dossiers.permissions import visible_dossiers
from digigov.store.services import reuse_from_json

router = Router(tags=["Hồ sơ"], auth=AUTH)

FILES_DESCRIPTION = (
    "Gửi dạng multipart/form-data. Mỗi thành phần hồ sơ một tệp, trong trường "
    "`component_<id>` (id lấy từ `components` của GET /procedures/{national_code}). "
    "Chấp nhận PDF, ảnh JPEG/PNG/TIFF và văn bản văn phòng; kiểu tệp được nhận diện theo nội dung."
)
COMPONENT_FILES_SCHEMA = {COMPONENT_FILES_MARKER: True}


class DossierFilters(Schema):
    status: list[Status] | None = Field(None, description="Mã trạng thái (lặp lại để chọn nhiều).")
    procedure: str | None = Field(None, max_length=40, description="Mã thủ tục.")
    agency: str | None = Field(None, max_length=35,
                               description="Mã định danh của cơ quan tiếp nhận.")
    received_from: dt.date | None = Field(None, description="Tiếp nhận từ ngày (YYYY-MM-DD).")
    received_to: dt.date | None = Field(None, description="Tiếp nhận đến hết ngày (YYYY-MM-DD).")
    due_before: dt.datetime | None = Field(None, description=(
        "Hẹn trả (kể cả ngày hẹn mới theo thư xin lỗi) trước thời điểm này; không ghi múi giờ "
        "thì hiểu là giờ Việt Nam."))
    overdue: bool | None = Field(None, description=(
        "true: chỉ hồ sơ đang mở đã quá hạn; false: loại các hồ sơ đó."))


def _local_day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _filter(qs, f: DossierFilters, now: dt.datetime):
    if f.status:
        qs = qs.filter(status__in=[int(s) for s in f.status])
    if f.procedure:
        qs = qs.filter(procedure__national_code=f.procedure)
    if f.agency:
        qs = qs.filter(agency__code=f.agency)
    if f.received_from:
        qs = qs.filter(received_at__gte=_local_day_start(f.received_from))
    if f.received_to:
        qs = qs.filter(received_at__lt=_local_day_start(f.received_to + dt.timedelta(days=1)))
    qs = qs.annotate(effective_due=Coalesce(F("apology_due_at"), F("due_at")))
    if f.due_before:
        due_before = f.due_before
        if timezone.is_naive(due_before):
            due_before = timezone.make_aware(due_before)
        qs = qs.filter(effective_due__lt=due_before)
    if f.overdue is not None:
        if f.overdue:
            qs = qs.filter(status__in=OPEN_STATUSES, effective_due__lt=now)
        else:
            # Spelled out: NOT (due < now) would drop dossiers that have no due date yet.
            qs = qs.filter(~Q(status__in=OPEN_STATUSES) | Q(effective_due__isnull=True)
                           | Q(effective_due__gte=now))
    return qs


@router.get("/dossiers", response={200: DossierPage, **PROBLEMS(401, 422)},
            summary="Danh sách hồ sơ được xem")
def list_dossiers(request: HttpRequest, filters: Query[DossierFilters],
                  pagination: Query[PageParams]):
    """Dossiers the caller may see (own dossiers, or those of the caller's units), newest first."""
    now = timezone.now()
    qs = _filter(visible_dossiers(request.auth).select_related(*DOSSIER_RELATED), filters, now)
    page = paginate(request, qs.order_by("-submitted_at", "-pk"), pagination)
    page["items"] = [dossier_summary(d, now=now) for d in page["items"]]
    return page


def _by_code(find, code: str | None, field: str, message: str):
    """The object a submission names by its code, or a field error; None if not given."""
    if not code:
        return None
    obj = find(code)
    if obj is None:
        raise InvalidInput(message % {"code": code}, fields={field: [_("Không tồn tại.")]})
    return obj


def _submit(request: HttpRequest, payload: DossierSubmission):
    user = request.auth
    catalog = intake_catalog.snapshot()
    procedure = _by_code(catalog.procedure, payload.procedure, "procedure",
                         _("Không tìm thấy thủ tục “%(code)s”."))
    if procedure is None:
        raise InvalidInput(_("Hãy chọn thủ tục."), fields={"procedure": [_("Bắt buộc.")]})
    agency = _by_code(catalog.agency, payload.agency, "agency",
                      _("Không tìm thấy cơ quan “%(code)s”."))
    form_data = parse_form_data(payload.form_data)
    files = component_files(request)
    reuse = reuse_from_json(payload.reuse)
    counter_fields = ("applicant_name", "applicant_id_number", "applicant_phone",
                      "applicant_email", "applicant_address", "channel")
    if not user.is_official:
        sent = [name for name in counter_fields if getattr(payload, name) not in (None, "")]
        if sent:
            raise InvalidInput(
                _("Khi nộp trực tuyến, thông tin người nộp lấy từ tài khoản; không gửi các "
                  "trường dành cho cán bộ tiếp nhận."),
                fields={name: [_("Chỉ dành cho cán bộ tiếp nhận.")] for name in sent})
        return services.submit_online(applicant=user, procedure=procedure, form_data=form_data,
                                      files=files, agency=agency, reuse=reuse)
    if agency is None:
        raise InvalidInput(_("Hãy chọn cơ quan tiếp nhận hồ sơ."),
                           fields={"agency": [_("Bắt buộc.")]})
    channel = payload.channel or Channel.COUNTER
    if channel not in (Channel.COUNTER, Channel.POSTAL):
        raise InvalidInput(_("Cán bộ chỉ đăng ký hồ sơ nộp trực tiếp (1) hoặc qua bưu chính (3)."),
                           fields={"channel": [_("Chọn 1 hoặc 3.")]})
    applicant = {
        "name": payload.applicant_name or "", "id_number": payload.applicant_id_number or "",
        "phone": payload.applicant_phone or "", "email": payload.applicant_email or "",
        "address": payload.applicant_address or "",
    }
    return services.submit_at_counter(
        officer=user, procedure=procedure, agency=agency, applicant=applicant,
        form_data=form_data, files=files, channel=channel,
        receive_now=payload.receive_now, reuse=reuse)


@router.post("/dossiers", response={201: DossierDetail, **PROBLEMS(401, 403, 409, 422)},
             summary="Nộp hồ sơ", description=FILES_DESCRIPTION,
             openapi_extra=COMPONENT_FILES_SCHEMA)
def submit_dossier(request: HttpRequest, payload: Form[DossierSubmission]):
    """A citizen or business submits online; a counter officer registers a dossier at the counter.

    Honours `Idempotency-Key`: a retry with the same key and request returns the first response.
    """

    def handler():
        dossier = _submit(request, payload)  # the submitter may always see what they submitted
        location = reverse("api-v1:get_dossier", kwargs={"code": dossier.code})
        detail = dossier_detail(dossier, files=getattr(dossier, "new_files", None))
        return json_response(DossierDetail, detail, status=201,
                             headers={"Location": location})

    return respond_idempotently(request, request.auth, handler)


@router.get("/dossiers/{code}", response={200: DossierDetail, **PROBLEMS(401, 404)},
            summary="Chi tiết hồ sơ")
def get_dossier(request: HttpRequest, code: str):
    """A dossier the caller may see, with files, supplements, obligations and rating."""
    return dossier_detail(visible_dossier(request.auth, code))


@router.get("/dossiers/{code}/events", response={200: list[EventOut], **PROBLEMS(401, 404)},
            summary="Nhật ký xử lý hồ sơ")
def get_dossier_events(request: HttpRequest, code: str):
    """Every recorded change of the dossier, oldest first (append-only audit trail)."""
    return dossier_events(visible_dossier(request.auth, code))


@router.get("/dossiers/{code}/control-sheet", response={200: ControlSheetOut,
                                                        **PROBLEMS(401, 404)},
            summary="Phiếu kiểm soát quá trình giải quyết hồ sơ")
def get_control_sheet(request: HttpRequest, code: str):
    """Form 06: one row per hand-over, with each step's result early / on time / late."""
    return control_sheet(visible_dossier(request.auth, code))
