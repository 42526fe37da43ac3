"""The back office of the one-stop shop: pages for counter officers, specialists, leaders.

Views are thin: they parse input with a form, call exactly one service
function, and render. A ``DomainError`` from a service is shown on the same
page and nothing changes; a successful action redirects back (POST/redirect/GET).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from digigov.core.errors import DomainError, NotFound
from digigov.orgs.models import Agency
from digigov.worktime.calendar import WorkCalendar

from . import digitisation, results, selectors, services
from .forms_office import (
    ActionForm,
    ApologyForm,
    CompleteForm,
    ConfirmForm,
    CounterReceptionForm,
    DigitiseForm,
    FinancialObligationForm,
    FulfilForm,
    HandOverForm,
    IssueResultForm,
    QueueFilterForm,
    ReasonForm,
    RegisterFilterForm,
    SupplementForm,
    SupplyForm,
)
from .models import Channel, Dossier, Status

QUEUE_PAGE_SIZE = 25


def vnd(amount: int) -> str:
    """Vietnamese money notation: 1.500.000 (the locale files do not group digits)."""
    return f"{amount:,}".replace(",", ".")


def official_required(view):
    """Anonymous users go to the login page; signed-in non-officials get 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not (request.user.is_official or request.user.is_superuser):
            raise PermissionDenied(_("Trang này chỉ dành cho cán bộ, công chức."))
        return view(request, *args, **kwargs)

    return wrapper


def _dossier_or_404(user, dossier_uuid) -> Dossier:
    # Outside the official's units a dossier does not exist for them: 404, not 403.
    try:
        return selectors.get_visible_dossier(user, dossier_uuid)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


# -- work queue -------------------------------------------------------------------
STATE_LABELS = {
    selectors.DeadlineState.RED: gettext_lazy("Quá hạn"),
    selectors.DeadlineState.AMBER: gettext_lazy("Sắp đến hạn"),
    selectors.DeadlineState.GREEN: gettext_lazy("Trong hạn"),
}


@official_required
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = QueueFilterForm(request.GET or None, procedures=selectors.queue_procedures(user))
    filters = form.cleaned_data if form.is_valid() else {}
    dossiers = selectors.work_queue(
        user, status=filters.get("status"), procedure=filters.get("procedure"),
        assigned_to_me=bool(filters.get("mine")), q=filters.get("q") or "",
    )
    page = Paginator(dossiers, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    now, calendar = timezone.now(), WorkCalendar.load()
    rows = []
    for dossier in page.object_list:
        state = selectors.deadline_state(dossier, now=now, calendar=calendar)
        rows.append({"dossier": dossier, "state": state, "state_label": STATE_LABELS[state],
                     "due": selectors.effective_deadline(dossier, now=now, calendar=calendar)})
    counts = selectors.queue_status_counts(user)
    kept = {k: v for k, v in request.GET.items() if k not in ("page", "status") and v}
    status_tabs = [
        {"value": s, "label": Status(s).label, "count": counts.get(s, 0),
         "url": "?" + urlencode({**kept, "status": s}), "current": filters.get("status") == s}
        for s in sorted(counts)
    ]
    page_query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(request, "dossiers/office/queue.html", {
        "form": form, "page": page, "rows": rows, "status_tabs": status_tabs,
        "all_url": "?" + urlencode(kept), "total_open": sum(counts.values()),
        "page_query": page_query, "now": now,
    })


# -- dossier detail and actions --------------------------------------------------------
@dataclass(frozen=True)
class Action:
    name: str
    label: str
    form_class: type[ActionForm]
    perform: Callable[..., Dossier]
    done: str
    danger: bool = False


def _actions() -> dict[str, Action]:
    """Each action maps to exactly one service function."""
    items = [
        Action("receive", _("Tiếp nhận hồ sơ"), ConfirmForm,
               lambda u, d, kw: services.receive(officer=u, dossier=d),
               _("Đã tiếp nhận hồ sơ %(code)s.")),
        Action("refuse", _("Từ chối tiếp nhận"), ReasonForm,
               lambda u, d, kw: services.refuse(officer=u, dossier=d, **kw),
               _("Đã từ chối tiếp nhận hồ sơ %(code)s."), danger=True),
        Action("request_supplement", _("Yêu cầu bổ sung hồ sơ"), SupplementForm,
               lambda u, d, kw: services.request_supplement(official=u, dossier=d, **kw),
               _("Đã gửi yêu cầu bổ sung hồ sơ %(code)s.")),
        Action("supply_supplement", _("Nhận giấy tờ bổ sung tại quầy"), SupplyForm,
               lambda u, d, kw: services.supply_supplement(actor=u, dossier=d, **kw),
               _("Đã nhận giấy tờ bổ sung của hồ sơ %(code)s; hồ sơ tiếp tục được xử lý.")),
        Action("hand_over", _("Chuyển bước xử lý"), HandOverForm,
               lambda u, d, kw: services.hand_over(official=u, dossier=d, **kw),
               _("Đã chuyển hồ sơ %(code)s sang bước tiếp theo.")),
        Action("request_financial_obligation", _("Yêu cầu thực hiện nghĩa vụ tài chính"),
               FinancialObligationForm,
               lambda u, d, kw: services.request_financial_obligation(official=u, dossier=d, **kw),
               _("Đã gửi yêu cầu thực hiện nghĩa vụ tài chính của hồ sơ %(code)s.")),
        Action("fulfil_financial_obligation", _("Xác nhận đã thực hiện nghĩa vụ tài chính"),
               FulfilForm,
               lambda u, d, kw: services.fulfil_financial_obligation(official=u, dossier=d, **kw),
               _("Đã xác nhận nghĩa vụ tài chính của hồ sơ %(code)s.")),
        Action("complete", _("Hoàn thành xử lý"), CompleteForm,
               lambda u, d, kw: services.complete(official=u, dossier=d, **kw),
               _("Hồ sơ %(code)s đã xử lý xong.")),
        Action("issue_result", _("Ký số và phát hành kết quả điện tử"), IssueResultForm,
               lambda u, d, kw: results.issue_electronic_result(official=u, dossier=d, **kw),
               _("Đã ký số và phát hành kết quả điện tử của hồ sơ %(code)s.")),
        Action("return_result", _("Trả kết quả"), ConfirmForm,
               lambda u, d, kw: services.return_result(officer=u, dossier=d),
               _("Đã trả kết quả hồ sơ %(code)s.")),
        Action("digitise", _("Số hóa thành phần hồ sơ"), DigitiseForm,
               lambda u, d, kw: digitisation.digitise_component(officer=u, dossier=d, **kw),
               _("Đã số hóa và ký số thành phần hồ sơ %(code)s.")),
        Action("withdraw", _("Rút hồ sơ theo đề nghị của người nộp"), ReasonForm,
               lambda u, d, kw: services.withdraw(actor=u, dossier=d, **kw),
               _("Đã rút hồ sơ %(code)s."), danger=True),
        Action("stop_processing", _("Dừng xử lý hồ sơ"), ReasonForm,
               lambda u, d, kw: services.stop_processing(official=u, dossier=d, **kw),
               _("Đã dừng xử lý hồ sơ %(code)s."), danger=True),
        Action("apologise", _("Gửi thư xin lỗi và hẹn lại"), ApologyForm,
               lambda u, d, kw: services.apologise(official=u, dossier=d, **kw),
               _("Đã gửi thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s.")),
    ]
    return {a.name: a for a in items}


AUDIT_LABELS = {
    "submit": gettext_lazy("Đăng ký hồ sơ"),
    "receive": gettext_lazy("Tiếp nhận"),
    "refuse": gettext_lazy("Từ chối tiếp nhận"),
    "request_supplement": gettext_lazy("Yêu cầu bổ sung"),
    "supply_supplement": gettext_lazy("Bổ sung hồ sơ"),
    "hand_over": gettext_lazy("Chuyển bước xử lý"),
    "request_financial_obligation": gettext_lazy("Yêu cầu nghĩa vụ tài chính"),
    "fulfil_financial_obligation": gettext_lazy("Xác nhận nghĩa vụ tài chính"),
    "complete": gettext_lazy("Hoàn thành xử lý"),
    "return_result": gettext_lazy("Trả kết quả"),
    "issue_result": gettext_lazy("Phát hành kết quả điện tử"),
    "digitise": gettext_lazy("Số hóa thành phần hồ sơ"),
    "withdraw": gettext_lazy("Rút hồ sơ"),
    "stop": gettext_lazy("Dừng xử lý"),
    "apologise": gettext_lazy("Thư xin lỗi, hẹn lại"),
    "rate": gettext_lazy("Đánh giá mức độ hài lòng"),
    "pay_fee": gettext_lazy("Nộp phí, lệ phí"),
}
AUDIT_DATA_LABELS = {
    "receipt": gettext_lazy("Biên lai"),
    "reason": gettext_lazy("Lý do"),
    "items": gettext_lazy("Giấy tờ"),
    "step": gettext_lazy("Bước"),
    "amount": gettext_lazy("Số tiền"),
    "reference": gettext_lazy("Chứng từ"),
    "new_due_at": gettext_lazy("Hẹn mới"),
    "due_at": gettext_lazy("Hẹn trả"),
    "timeliness": gettext_lazy("Đánh giá"),
    "total": gettext_lazy("Tổng điểm"),
    "component": gettext_lazy("Thành phần"),
}


def _status_label(value: str) -> str:
    try:
        return Status(int(value)).label
    except ValueError:
        return value


def _timeline(dossier: Dossier) -> list[dict]:
    events = []
    for event in selectors.audit_timeline(dossier):
        details = []
        for key, value in event.data.items():
            if key not in AUDIT_DATA_LABELS or value in ("", None, []):
                continue
            if isinstance(value, list):
                value = "; ".join(str(v) for v in value)
            elif key in ("new_due_at", "due_at"):
                value = timezone.localtime(dt.datetime.fromisoformat(value)).strftime(
                    "%H:%M %d/%m/%Y")
            details.append((AUDIT_DATA_LABELS[key], value))
        events.append({
            "at": event.at, "actor": event.actor,
            "label": AUDIT_LABELS.get(event.action, event.action),
            "from": _status_label(event.from_state) if event.from_state else "",
            "to": _status_label(event.to_state) if event.to_state else "",
            "details": details,
        })
    return events


def _render_detail(request: HttpRequest, dossier: Dossier, *, bound: ActionForm | None = None,
                   error: str = "", status: int = 200) -> HttpResponse:
    actions = _actions()
    offered = []
    for name in selectors.available_actions(request.user, dossier):
        action = actions[name]
        form = bound if bound is not None and bound.prefix == name else action.form_class(
            dossier=dossier, prefix=name)
        offered.append({"action": action, "form": form,
                        "url": reverse("office:action", args=[dossier.uuid, name])})
    now, calendar = timezone.now(), WorkCalendar.load()
    state = selectors.deadline_state(dossier, now=now, calendar=calendar) if dossier.is_open else ""
    next_step = selectors.next_step(dossier) if dossier.is_open else None
    return render(request, "dossiers/office/detail.html", {
        "dossier": dossier, "offered": offered, "error": error,
        "error_action": bound.prefix if bound is not None else "",
        "state": state, "state_label": STATE_LABELS.get(state, ""),
        "form_rows": selectors.form_data_rows(dossier), "timeline": _timeline(dossier),
        "printable": selectors.printable_forms(dossier), "next_step": next_step,
        "fee": vnd(dossier.fee_amount),
        "obligations": [{"o": o, "amount": vnd(o.amount)} for o in dossier.obligations.all()],
    }, status=status)


@official_required
def dossier_detail(request: HttpRequest, dossier_uuid) -> HttpResponse:
    return _render_detail(request, _dossier_or_404(request.user, dossier_uuid))


@official_required
@require_POST
def dossier_action(request: HttpRequest, dossier_uuid, action: str) -> HttpResponse:
    dossier = _dossier_or_404(request.user, dossier_uuid)
    spec = _actions().get(action)
    if spec is None:
        raise Http404(_("Thao tác không tồn tại."))
    form = spec.form_class(request.POST, request.FILES, dossier=dossier, prefix=action)
    if not form.is_valid():
        return _render_detail(request, dossier, bound=form, status=400, error=_(
            "Chưa thể %(action)s: thông tin nhập chưa hợp lệ, xem lỗi ở biểu mẫu bên dưới."
        ) % {"action": spec.label.lower()})
    try:
        outcome = spec.perform(request.user, dossier, form.service_kwargs())
    except DomainError as exc:
        for key, field_messages in exc.fields.items():
            for message in field_messages:
                form.add_error(key if key in form.fields else None, message)
        # The service rolled back; show the dossier as it is in the database.
        dossier = _dossier_or_404(request.user, dossier_uuid)
        return _render_detail(request, dossier, bound=form, error=str(exc.message),
                              status=exc.status)
    messages.success(request, spec.done % {"code": dossier.code})
    # Digitisation succeeds without OCR; say so rather than hide it.
    for warning in getattr(getattr(outcome, "digitisation", None), "warnings", ()):
        messages.warning(request, warning)
    return redirect("office:detail", dossier_uuid=dossier.uuid)


@official_required
def file_download(request: HttpRequest, dossier_uuid, file_uuid) -> FileResponse:
    try:
        record = selectors.get_visible_file(request.user, dossier_uuid, file_uuid)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    try:
        handle = record.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Tệp không còn trong kho lưu trữ.")) from exc
    response = FileResponse(handle, as_attachment=True, filename=record.original_name,
                            content_type=record.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# -- counter reception ------------------------------------------------------------------
@official_required
def counter_start(request: HttpRequest) -> HttpResponse:
    units = list(selectors.counter_units(request.user))
    if not units:
        raise PermissionDenied(_("Bạn không phải cán bộ tiếp nhận tại đơn vị nào."))
    q = request.GET.get("q", "").strip()[:100]
    groups = [{"agency": unit, "procedures": selectors.counter_procedures(unit, q)}
              for unit in units]
    return render(request, "dossiers/office/counter_start.html", {"groups": groups, "q": q})


@official_required
@require_http_methods(["GET", "POST"])
def counter_new(request: HttpRequest, agency_uuid, procedure_uuid) -> HttpResponse:
    try:
        agency, procedure = selectors.procedure_for_counter(request.user, agency_uuid,
                                                            procedure_uuid)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    version = procedure.version_on()
    if version is None:
        raise Http404(_("Thủ tục không có phiên bản đang có hiệu lực."))
    if request.method == "GET":
        form = CounterReceptionForm(version=version)
        return _render_counter(request, agency, procedure, version, form)
    form = CounterReceptionForm(request.POST, request.FILES, version=version)
    if not form.is_valid():
        return _render_counter(request, agency, procedure, version, form, status=400,
                               error=_("Thông tin chưa hợp lệ, xem lỗi ở từng mục bên dưới."))
    try:
        dossier = services.submit_at_counter(
            officer=request.user, procedure=procedure, agency=agency,
            applicant=form.applicant(), form_data=form.form_data(),
            files=form.files_by_component(), channel=form.cleaned_data["channel"],
            receive_now=form.cleaned_data["receive_now"],
        )
    except DomainError as exc:
        form.add_service_errors(exc.fields)
        return _render_counter(request, agency, procedure, version, form,
                               status=exc.status, error=str(exc.message))
    if dossier.status == Status.RECEIVED:
        messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s. In giấy tiếp nhận và hẹn trả "
                                    "kết quả cho người nộp.") % {"code": dossier.code})
        return redirect("office:print", dossier_uuid=dossier.uuid, number="01")
    messages.success(request, _("Đã đăng ký hồ sơ %(code)s; hồ sơ chưa được tiếp nhận.")
                     % {"code": dossier.code})
    return redirect("office:detail", dossier_uuid=dossier.uuid)


def _render_counter(request, agency, procedure, version, form, *, status=200, error=""):
    return render(request, "dossiers/office/counter_new.html", {
        "agency": agency, "procedure": procedure, "version": version, "form": form,
        "error": error, "fee": vnd(version.fee_for(Channel.COUNTER)),
    }, status=status)


# -- printable forms -------------------------------------------------------------------
def _place(agency: Agency) -> str:
    """The place name of a letter's date line: the nearest area up the agency tree."""
    seen = set()
    while agency is not None and agency.pk not in seen:
        seen.add(agency.pk)
        if agency.area_id:
            return agency.area.name
        agency = agency.parent
    return ""


def _received_components(dossier: Dossier) -> list[dict]:
    """Components with at least one file, in the procedure's order (form 01's list)."""
    by_component: dict = {}
    for f in dossier.files.all():
        by_component.setdefault(f.component_id, []).append(f)
    rows = [{"name": c.name, "copies": c.copies, "files": by_component[c.pk]}
            for c in dossier.procedure_version.components.all() if c.pk in by_component]
    if None in by_component:
        rows.append({"name": _("Giấy tờ khác"), "copies": "", "files": by_component[None]})
    return rows


def _print_context(dossier: Dossier, number: str) -> dict:
    context: dict = {"dossier": dossier, "agency": dossier.agency,
                     "place": _place(dossier.agency)}
    if number == "01":
        context.update(date=dossier.received_at, signer=dossier.received_by,
                       components=_received_components(dossier), fee=vnd(dossier.fee_amount))
    elif number == "02":
        supplement = dossier.supplements.order_by("-requested_at").first()
        context.update(date=supplement.requested_at, signer=supplement.requested_by,
                       supplement=supplement)
    elif number == "03":
        context.update(date=dossier.closed_at, signer=selectors.last_actor(dossier, "refuse"))
    elif number == "04":
        apology = dossier.apologies.order_by("-created_at").first()
        context.update(date=apology.created_at, signer=apology.created_by, apology=apology)
    elif number == "05":
        context.update(date=dossier.closed_at, signer=selectors.last_actor(dossier, "stop"))
    elif number == "06":
        context.update(date=timezone.now(), steps=list(dossier.step_records.all()),
                       returned_by=selectors.last_actor(dossier, "return_result"))
    return context


@official_required
def printable_form(request: HttpRequest, dossier_uuid, number: str) -> HttpResponse:
    dossier = _dossier_or_404(request.user, dossier_uuid)
    if number not in {f.number for f in selectors.printable_forms(dossier)}:
        raise Http404(_("Biểu mẫu này không áp dụng cho hồ sơ ở trạng thái hiện tại."))
    return render(request, f"dossiers/forms/form_{number}.html", _print_context(dossier, number))


@official_required
def register(request: HttpRequest) -> HttpResponse:
    agencies = selectors.register_agencies(request.user)
    if not agencies.exists():
        raise PermissionDenied(_("Bạn không giữ vai trò tại đơn vị nào."))
    today = timezone.localdate()
    data = request.GET.copy() if request.GET else None
    if data is not None:
        data.setdefault("agency", str(agencies.first().uuid))
    form = RegisterFilterForm(data, agencies=agencies, initial={
        "agency": agencies.first(), "date_from": today.replace(day=1), "date_to": today,
    })
    if data is None:
        cleaned = {"agency": agencies.first(), "date_from": today.replace(day=1),
                   "date_to": today, "status": None, "procedure": None}
    elif form.is_valid():
        cleaned = form.cleaned_data
    else:
        return render(request, "dossiers/forms/form_07.html", {"form": form, "rows": None},
                      status=400)
    rows = selectors.tracking_register(
        request.user, cleaned["agency"], date_from=cleaned["date_from"],
        date_to=cleaned["date_to"], status=cleaned["status"], procedure=cleaned["procedure"],
    )
    return render(request, "dossiers/forms/form_07.html", {
        "form": form, "rows": rows, "agency": cleaned["agency"],
        "place": _place(cleaned["agency"]), "date": timezone.now(),
        "date_from": cleaned["date_from"], "date_to": cleaned["date_to"],
    })
