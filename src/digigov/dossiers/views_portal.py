"""The public portal: procedures, online submission, one's own dossiers, public look-up.

Views are thin: they parse input with a form, call one service or selector,
and render. Personal records are addressed by UUID, never by sequential id.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from digigov.accounts.forms import add_domain_errors
from digigov.accounts.models import normalize_phone
from digigov.audit.models import AuditEvent
from digigov.catalog import selectors
from digigov.catalog.models import ApplicantType, ComponentSpec, Procedure, ServiceLevel
from digigov.core.errors import DomainError, InvalidInput
from digigov.store.models import Source as PaperSource
from digigov.store.models import StoredPaper
from digigov.store.services import reusable_papers

from . import results, services
from .forms import (
    LookupForm,
    RatingForm,
    SearchForm,
    SubmitForm,
    SupplementForm,
    WithdrawForm,
)
from .models import OPEN_STATUSES, Dossier, Rating, Status
from .permissions import visible_dossiers

RESULTS_PER_PAGE = 20
RATEABLE_STATUSES = (Status.PROCESSED, Status.RETURNED)

# What each audit action means to the applicant, for the timeline.
ACTION_LABELS = {
    "submit": gettext_lazy("Nộp hồ sơ"),
    "receive": gettext_lazy("Tiếp nhận hồ sơ"),
    "refuse": gettext_lazy("Từ chối tiếp nhận"),
    "request_supplement": gettext_lazy("Yêu cầu bổ sung hồ sơ"),
    "supply_supplement": gettext_lazy("Bổ sung hồ sơ"),
    "hand_over": gettext_lazy("Chuyển bước xử lý"),
    "request_financial_obligation": gettext_lazy("Yêu cầu thực hiện nghĩa vụ tài chính"),
    "fulfil_financial_obligation": gettext_lazy("Xác nhận thực hiện nghĩa vụ tài chính"),
    "complete": gettext_lazy("Hoàn thành xử lý"),
    "return_result": gettext_lazy("Trả kết quả"),
    "withdraw": gettext_lazy("Rút hồ sơ"),
    "stop": gettext_lazy("Dừng xử lý"),
    "apologise": gettext_lazy("Thư xin lỗi, hẹn lại ngày trả kết quả"),
    "rate": gettext_lazy("Đánh giá mức độ hài lòng"),
    "pay_fee": gettext_lazy("Nộp phí, lệ phí"),
}


# -- formatting helpers -----------------------------------------------------------
def format_vnd(amount: int) -> str:
    """8000 -> "8.000 đ" (Vietnamese groups thousands with dots)."""
    return f"{int(amount):,} đ".replace(",", ".")


def format_amount(value: Decimal) -> str:
    """3.00 -> "3", 1.50 -> "1,5"."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f").replace(".", ",")


def mask_name(full_name: str) -> str:
    """"Nguyễn Văn A" -> "Nguyễn V. A": the family name, then initials only."""
    words = full_name.split()
    if len(words) <= 1:
        return (words[0][0] + ".") if words else ""
    middle = [f"{w[0]}." for w in words[1:-1]]
    return " ".join([words[0], *middle, words[-1][0]])


def _time_limit(version) -> str:
    if version.time_limit_text:
        return version.time_limit_text
    if version.time_limit_unit == "same_day":
        return str(version.get_time_limit_unit_display())
    return f"{format_amount(version.time_limit_amount)} {version.get_time_limit_unit_display()}"


# -- procedures -------------------------------------------------------------------------
def home(request):
    return render(request, "dossiers/portal/home.html", {
        "search_form": SearchForm(),
        "sectors": selectors.sectors_with_procedures(),
        "popular": selectors.most_used_procedures(),
    })


def search(request):
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    results = selectors.search_procedures(
        q=data.get("q"), sector=data.get("sector"), level=data.get("level"),
        agency=data.get("agency"),
    )
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "catalog/search.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "searched": bool(request.GET),
    }, status=400 if form.errors else 200)


def _published_procedure(code: str) -> tuple[Procedure, object]:
    procedure = get_object_or_404(selectors.published_procedures(), national_code=code)
    version = procedure.version_on()
    if version is None:
        raise Http404
    return procedure, version


def procedure_detail(request, code: str):
    procedure, version = _published_procedure(code)
    return render(request, "catalog/detail.html", {
        "procedure": procedure,
        "version": version,
        "applicant_types": [ApplicantType(t).label for t in version.applicant_types
                            if t in ApplicantType.values],
        "components": version.components.all(),
        "steps": version.steps.select_related("agency"),
        "agencies": procedure.competent_agencies.active().order_by("name"),
        "fee_counter": format_vnd(version.fee_counter),
        "fee_online": format_vnd(version.fee_online),
        "time_limit": _time_limit(version),
        "total_hours": format_amount(version.total_allotted_hours or 0),
        "can_submit_online": version.service_level != ServiceLevel.NONE,
    })


def component_template(request, code: str, component_id: int):
    """Download the blank form of one component of the version in force."""
    _procedure, version = _published_procedure(code)
    component = get_object_or_404(ComponentSpec, pk=component_id, version=version)
    if not component.template:
        raise Http404
    return FileResponse(component.template.open("rb"), as_attachment=True,
                        filename=component.template.name.rsplit("/", 1)[-1])


# -- submission ----------------------------------------------------------------------------
@login_required
def submit(request, code: str):
    procedure, version = _published_procedure(code)
    if request.user.is_official:
        return render(request, "dossiers/portal/refused.html", {
            "message": _("Tài khoản cán bộ không nộp hồ sơ trên cổng dịch vụ công. "
                         "Hãy dùng tài khoản công dân hoặc doanh nghiệp."),
        }, status=403)
    if version.service_level == ServiceLevel.NONE:
        messages.error(request, _("Thủ tục này chưa được cung cấp trực tuyến; "
                                  "hãy nộp tại bộ phận một cửa."))
        return redirect("portal:procedure", code=procedure.national_code)
    agencies = list(procedure.competent_agencies.active().order_by("name"))
    form = SubmitForm(request.POST or None, request.FILES or None, version=version,
                      agencies=agencies,
                      reusable=reusable_papers(request.user, version.components.all()))
    missing_identity = False
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.submit_online(
                applicant=request.user, procedure=procedure, form_data=form.form_data(),
                files=form.files_by_component(), agency=form.cleaned_data.get("agency"),
                reuse=form.reuse_by_component(),
            )
        except InvalidInput as exc:
            add_domain_errors(form, exc)
            missing_identity = "personal_id" in exc.fields
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Đã nộp hồ sơ %(code)s. Cơ quan tiếp nhận sẽ kiểm tra "
                                        "và thông báo cho bạn.") % {"code": dossier.code})
            return redirect("portal:dossier", uuid=dossier.uuid)
    return render(request, "dossiers/portal/submit.html", {
        "procedure": procedure, "version": version, "form": form,
        "fee_online": format_vnd(version.fee_online), "missing_identity": missing_identity,
    }, status=400 if form.errors else 200)


# -- one's own dossiers ------------------------------------------------------------------------
def _own_dossiers(user):
    # In the portal an official, too, sees only what they applied for themselves.
    return visible_dossiers(user).filter(applicant=user)


def _own_dossier(request, uuid) -> Dossier:
    queryset = _own_dossiers(request.user).select_related(
        "procedure", "procedure_version", "agency", "current_agency")
    return get_object_or_404(queryset, uuid=uuid)


@login_required
def my_dossiers(request):
    dossiers = _own_dossiers(request.user).select_related("procedure", "agency")
    page = Paginator(dossiers, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "dossiers/portal/my_dossiers.html", {"page": page})


def _timeline(dossier: Dossier) -> list[dict]:
    events = AuditEvent.objects.filter(object_type="dossiers.dossier", object_id=dossier.code)
    timeline = []
    for event in events:
        to_state = int(event.to_state) if event.to_state.isdigit() else None
        timeline.append({
            "at": event.at,
            "label": ACTION_LABELS.get(event.action, event.action),
            "status": Status(to_state).label if to_state in Status.values else "",
            "reason": event.data.get("reason", ""),
            "items": event.data.get("items", []),
        })
    return timeline


def _dossier_page(request, dossier: Dossier, *, status: int = 200, **forms):
    version = dossier.procedure_version
    open_supplement = (
        dossier.supplements.filter(supplied_at__isnull=True).order_by("-requested_at").first()
        if dossier.status == Status.SUPPLEMENT_REQUESTED else None
    )
    rating = Rating.objects.filter(dossier=dossier).first()
    can_rate = dossier.status in RATEABLE_STATUSES and rating is None
    context = {
        "dossier": dossier,
        "timeline": _timeline(dossier),
        "steps": dossier.step_records.select_related("agency"),
        "files": dossier.files.select_related("component"),
        "fee": format_vnd(dossier.fee_amount),
        "open_supplement": open_supplement,
        "supplement_form": forms.get("supplement_form")
        or (SupplementForm(version=version) if open_supplement else None),
        "withdraw_form": forms.get("withdraw_form")
        or (WithdrawForm() if dossier.status in OPEN_STATUSES else None),
        "rating_form": forms.get("rating_form") or (RatingForm() if can_rate else None),
        "rating": rating,
        "rating_rows": [(label, rating.scores.get(key)) for key, label in Rating.INDICATORS]
        if rating else [],
        "score_labels": dict(Rating.SCORES),
        "result_document": results.issued_result(dossier),
        "stored_result": StoredPaper.objects.filter(
            dossier=dossier, owner=request.user, source=PaperSource.RESULT).first(),
    }
    return render(request, "dossiers/portal/dossier.html", context, status=status)


@login_required
def dossier_detail(request, uuid):
    return _dossier_page(request, _own_dossier(request, uuid))


def _refused(request, dossier: Dossier, exc: DomainError):
    messages.error(request, str(exc.message))
    return redirect("portal:dossier", uuid=dossier.uuid)


@login_required
@require_POST
def supply_supplement(request, uuid):
    dossier = _own_dossier(request, uuid)
    form = SupplementForm(request.POST, request.FILES, version=dossier.procedure_version)
    if form.is_valid():
        try:
            services.supply_supplement(actor=request.user, dossier=dossier,
                                       files=form.files_by_component())
        except InvalidInput as exc:
            add_domain_errors(form, exc)
        except DomainError as exc:
            return _refused(request, dossier, exc)
        else:
            messages.success(request, _("Đã gửi giấy tờ bổ sung cho hồ sơ %(code)s.")
                             % {"code": dossier.code})
            return redirect("portal:dossier", uuid=dossier.uuid)
    return _dossier_page(request, dossier, status=400, supplement_form=form)


@login_required
@require_POST
def withdraw(request, uuid):
    dossier = _own_dossier(request, uuid)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw(actor=request.user, dossier=dossier,
                              reason=form.cleaned_data["reason"])
        except InvalidInput as exc:
            add_domain_errors(form, exc)
        except DomainError as exc:
            return _refused(request, dossier, exc)
        else:
            messages.success(request, _("Đã rút hồ sơ %(code)s.") % {"code": dossier.code})
            return redirect("portal:dossier", uuid=dossier.uuid)
    return _dossier_page(request, dossier, status=400, withdraw_form=form)


@login_required
@require_POST
def rate(request, uuid):
    dossier = _own_dossier(request, uuid)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate(applicant=request.user, dossier=dossier, scores=form.scores(),
                          comment=form.cleaned_data["comment"])
        except InvalidInput as exc:
            add_domain_errors(form, exc)
        except DomainError as exc:
            return _refused(request, dossier, exc)
        else:
            messages.success(request, _("Cảm ơn bạn đã đánh giá."))
            return redirect("portal:dossier", uuid=dossier.uuid)
    return _dossier_page(request, dossier, status=400, rating_form=form)


@login_required
def dossier_file(request, uuid, file_uuid):
    dossier = _own_dossier(request, uuid)
    stored = get_object_or_404(dossier.files, uuid=file_uuid)
    return FileResponse(stored.file.open("rb"), as_attachment=True,
                        filename=stored.original_name, content_type=stored.content_type)


# -- public look-up ----------------------------------------------------------------------------
def _find_for_lookup(code: str, identifier: str) -> Dossier | None:
    """The dossier only when the code and the applicant's ID number or phone both match."""
    dossier = (Dossier.objects.select_related("procedure", "agency")
               .filter(code__iexact=code.strip()).first())
    if dossier is None:
        return None
    identifier = identifier.strip()
    if identifier and identifier == dossier.applicant_id_number:
        return dossier
    phone = normalize_phone(identifier)
    if dossier.applicant_phone and phone and phone == normalize_phone(dossier.applicant_phone):
        return dossier
    return None


def lookup(request):
    """Tra cứu hồ sơ: POST, so that ID and phone numbers never sit in URLs or logs."""
    found = None
    not_found = False
    if request.method == "POST":
        form = LookupForm(request.POST)
        if form.is_valid():
            found = _find_for_lookup(form.cleaned_data["code"], form.cleaned_data["identifier"])
            not_found = found is None
    else:
        form = LookupForm(initial={"code": request.GET.get("code", "")[:60]})
    return render(request, "dossiers/portal/lookup.html", {
        "form": form, "found": found, "not_found": not_found,
        "masked_name": mask_name(found.applicant_name) if found else "",
        "submit_url": reverse("portal:lookup"),
    }, status=400 if form.errors else 200)
