"""Pages of official documents for clerks, specialists and leaders (thin: forms, one
service call, render)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from digigov.accounts.models import Role
from digigov.core.errors import DomainError
from digigov.orgs.models import Agency

from . import clearances, forms, selectors, services
from .models import (
    IncomingDocument,
    IssuerProfile,
    OutgoingDocument,
    OutgoingStatus,
    ReviewStep,
)
from .permissions import has_role, visible_incoming, visible_outgoing


def _officials_only(request: HttpRequest) -> None:
    if not (request.user.is_official or request.user.is_superuser):
        raise PermissionDenied


def _outgoing(request, uuid) -> OutgoingDocument:
    return get_object_or_404(visible_outgoing(request.user).select_related("agency"), uuid=uuid)


def _incoming(request, uuid) -> IncomingDocument:
    return get_object_or_404(visible_incoming(request.user).select_related("recipient"),
                             uuid=uuid)


def _error(request, exc: DomainError) -> None:
    messages.error(request, str(exc.message))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _officials_only(request)
    user = request.user
    waiting = [s.document for s in ReviewStep.objects.filter(
        reviewer=user, decision=ReviewStep.Decision.PENDING).select_related("document")
        if s.document.status in (OutgoingStatus.IN_REVIEW, OutgoingStatus.PENDING_APPROVAL)
        and services.current_step(s.document).pk == s.pk]
    to_issue = [d for d in visible_outgoing(user).filter(status=OutgoingStatus.SIGNED)
                if has_role(user, d.agency_id, Role.CLERK)]
    return render(request, "documents/home.html", {
        "waiting": waiting,
        "to_sign": visible_outgoing(user).filter(status=OutgoingStatus.APPROVED, approver=user),
        "to_issue": to_issue,
        "late_to_issue": selectors.late_to_issue(to_issue),
        "my_drafts": visible_outgoing(user).filter(drafter=user, status__in=services.EDITABLE),
        "internal": visible_outgoing(user).filter(
            Q(recipients__person=user) | Q(recipients__unit_id__in=user.role_agency_ids()),
            status=OutgoingStatus.ISSUED).distinct()[:20],
        "assigned": visible_incoming(user).filter(
            assignments__person=user, status__in=["assigned", "processing"]).distinct(),
        "overdue": selectors.overdue(user)[:20],
        "clerk_agencies": Agency.objects.filter(pk__in=user.role_agency_ids(Role.CLERK)),
        "can_configure": _settings_agencies(user).exists(),
        "year": timezone.localdate().year,
    })


def _page(request, qs):
    return Paginator(qs, 25).get_page(request.GET.get("page"))


def _filters(request, direction: str) -> tuple[forms.SearchForm, selectors.Filters]:
    form = forms.SearchForm(request.GET or None)
    f = selectors.Filters(direction=direction)
    if form.is_valid():
        data = form.cleaned_data
        f = selectors.Filters(q=data["q"], type_code=data["type_code"], issuer=data["issuer"],
                              date_from=data["date_from"], date_to=data["date_to"],
                              status=data["status"], direction=direction or data["direction"])
    return form, f


@login_required
def outgoing_list(request: HttpRequest) -> HttpResponse:
    _officials_only(request)
    form, f = _filters(request, "out")
    return render(request, "documents/outgoing_list.html", {
        "form": form, "page": _page(request, selectors.outgoing(request.user, f)),
        "statuses": OutgoingStatus.choices})


@login_required
def incoming_list(request: HttpRequest) -> HttpResponse:
    _officials_only(request)
    form, f = _filters(request, "in")
    return render(request, "documents/incoming_list.html", {
        "form": form, "page": _page(request, selectors.incoming(request.user, f))})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    _officials_only(request)
    form, f = _filters(request, "")
    total, hits = (0, [])
    if request.GET:
        total, hits = selectors.search(request.user, f, limit=100)
    return render(request, "documents/search.html", {"form": form, "hits": hits,
                                                     "total": total, "searched": bool(request.GET)})


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    _officials_only(request)
    return render(request, "documents/incoming_list.html", {
        "page": _page(request, selectors.overdue(request.user)), "overdue_only": True})


@login_required
@require_http_methods(["GET", "POST"])
def outgoing_new(request: HttpRequest) -> HttpResponse:
    _officials_only(request)
    form = forms.DraftForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.create_draft(
                actor=request.user, agency=data["agency"], type_code=data["type_code"],
                subject=data["subject"], body=data["body"], body_file=data["body_file"],
                urgency=data["urgency"], secrecy=data["secrecy"],
                drafting_unit=data["drafting_unit"], recipients=form.recipients(),
                recipients_text=data["recipients_text"], copies=data["copies"],
                due_on=data["due_on"], attachments=form.attachment_tuples())
        except DomainError as exc:
            _error(request, exc)
            for field, errors in exc.fields.items():
                if field in form.fields:
                    form.add_error(field, errors)
        else:
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("documents:outgoing_detail", uuid=document.uuid)
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/outgoing_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def outgoing_edit(request: HttpRequest, uuid) -> HttpResponse:
    """The drafter revises a draft, or a draft returned for revision."""
    _officials_only(request)
    document = _outgoing(request, uuid)
    if document.drafter_id != request.user.pk or document.status not in services.EDITABLE:
        raise PermissionDenied
    recipients = list(document.recipients.all())
    initial = {
        "agency": document.agency, "type_code": document.type_code,
        "subject": document.subject, "body": document.body, "urgency": document.urgency,
        "secrecy": document.secrecy, "drafting_unit": document.drafting_unit,
        "units": [r.unit for r in recipients if r.kind == "unit"],
        "people": [r.person for r in recipients if r.kind == "person"],
        "external": "\n".join(f"{r.organ_code} | {r.name}" for r in recipients
                              if r.kind == "external"),
        "recipients_text": document.recipients_text, "copies": document.copies,
        "due_on": document.due_on}
    form = forms.DraftForm(request.POST or None, request.FILES or None, user=request.user,
                           initial=initial)
    form.fields["agency"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_draft(
                document, actor=request.user, type_code=data["type_code"],
                subject=data["subject"], body=data["body"], body_file=data["body_file"],
                urgency=data["urgency"], secrecy=data["secrecy"],
                drafting_unit=data["drafting_unit"], recipients=form.recipients(),
                recipients_text=data["recipients_text"], copies=data["copies"],
                due_on=data["due_on"], attachments=form.attachment_tuples(),
                remove_attachments=[int(pk) for pk in request.POST.getlist("remove")
                                    if pk.isdigit()])
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("documents:outgoing_detail", uuid=document.uuid)
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/outgoing_form.html",
                  {"form": form, "document": document,
                   "attachments": document.attachments.all()}, status=status)


@login_required
def outgoing_detail(request: HttpRequest, uuid) -> HttpResponse:
    _officials_only(request)
    document = _outgoing(request, uuid)
    step = services.current_step(document)
    user = request.user
    context = {
        "document": document, "step": step,
        "can_submit": document.drafter_id == user.pk and document.status in services.EDITABLE,
        "can_review": step is not None and step.reviewer_id == user.pk,
        "can_sign": document.status == OutgoingStatus.APPROVED
        and document.approver_id == user.pk,
        "can_issue": document.status == OutgoingStatus.SIGNED
        and has_role(user, document.agency_id, Role.CLERK),
        "timeline": selectors.timeline(document),
        "steps": document.review_steps.select_related("reviewer"),
        "recipients": document.recipients.all(),
        "statuses": document.exchange_statuses.all(),
        "attachments": document.attachments.all(),
    }
    if context["can_submit"]:
        context["submit_form"] = forms.SubmitForm(agency=document.agency)
    if context["can_review"]:
        context["review_form"] = forms.ReviewForm()
    if context["can_sign"]:
        context["sign_form"] = forms.SignForm(initial={"signer_title": document.signer_title})
    if context["can_issue"]:
        context["issue_form"] = forms.IssueForm(initial={"keeping_unit": document.drafting_unit})
    return render(request, "documents/outgoing_detail.html", context)


@login_required
@require_POST
def outgoing_action(request: HttpRequest, uuid, action: str) -> HttpResponse:
    _officials_only(request)
    document = _outgoing(request, uuid)
    try:
        if action == "submit":
            form = forms.SubmitForm(request.POST, agency=document.agency)
            if not form.is_valid():
                raise services.InvalidInput(_("Hãy chọn lãnh đạo duyệt, ký."))
            reviewers = sorted(form.cleaned_data["reviewers"],
                               key=lambda u: request.POST.getlist("reviewers").index(str(u.pk)))
            services.submit(document, actor=request.user, reviewers=reviewers,
                            approver=form.cleaned_data["approver"])
            messages.success(request, _("Đã trình dự thảo."))
        elif action == "review":
            form = forms.ReviewForm(request.POST)
            if not form.is_valid():
                raise services.InvalidInput(_("Hãy chọn ý kiến."))
            services.review(document, actor=request.user,
                            accept=form.cleaned_data["decision"] == "accept",
                            comment=form.cleaned_data["comment"])
            messages.success(request, _("Đã ghi ý kiến."))
        elif action == "sign":
            form = forms.SignForm(request.POST)
            if not form.is_valid():
                raise services.InvalidInput(_("Hãy nhập chức vụ người ký."))
            services.sign(document, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Đã ký số văn bản."))
        elif action == "issue":
            form = forms.IssueForm(request.POST)
            form.is_valid()
            services.issue(document, actor=request.user,
                           keeping_unit=form.cleaned_data.get("keeping_unit", ""),
                           note=form.cleaned_data.get("note", ""))
            messages.success(request, _("Đã phát hành văn bản."))
        else:
            raise Http404
    except DomainError as exc:
        _error(request, exc)
    return redirect("documents:outgoing_detail", uuid=document.uuid)


@login_required
def outgoing_pdf(request: HttpRequest, uuid) -> HttpResponse:
    _officials_only(request)
    document = _outgoing(request, uuid)
    if document.signed_pdf:
        return FileResponse(document.signed_pdf.open("rb"), content_type="application/pdf",
                            filename=f"{document.uuid}.pdf")
    preview = services.render_pdf(document).pdf
    return HttpResponse(preview, content_type="application/pdf")


@login_required
def outgoing_attachment(request: HttpRequest, uuid, pk: int) -> HttpResponse:
    _officials_only(request)
    document = _outgoing(request, uuid)
    attachment = get_object_or_404(document.attachments, pk=pk)
    field = attachment.signed_file or attachment.file
    return FileResponse(field.open("rb"), content_type="application/pdf",
                        filename=attachment.filename)


@login_required
@require_http_methods(["GET", "POST"])
def incoming_new(request: HttpRequest) -> HttpResponse:
    _officials_only(request)
    form = forms.PaperForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scan = data["scan"]
        try:
            document = services.register_incoming_paper(
                actor=request.user, recipient=data["recipient"], sender_name=data["sender_name"],
                sender_code=data["sender_code"], number=data["number"],
                notation=data["notation"], issued_on=data["issued_on"],
                type_code=data["type_code"], subject=data["subject"],
                signer_name=data["signer_name"], due_on=data["due_on"],
                urgency=data["urgency"], secrecy=data["secrecy"],
                scan=(scan.name, scan.content_type or "", scan.read()))
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Đã vào sổ văn bản đến số %(n)s.")
                             % {"n": document.incoming_number})
            return redirect("documents:incoming_detail", uuid=document.uuid)
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/incoming_form.html", {"form": form}, status=status)


@login_required
def incoming_detail(request: HttpRequest, uuid) -> HttpResponse:
    _officials_only(request)
    document = _incoming(request, uuid)
    user = request.user
    is_leader = has_role(user, document.recipient_id, Role.LEADER)
    assignee = services.is_assignee(user, document)
    return render(request, "documents/incoming_detail.html", {
        "document": document,
        "assign_form": forms.AssignForm(agency=document.recipient)
        if is_leader and document.is_open else None,
        "note_form": forms.NoteForm() if document.is_open else None,
        "can_start": assignee and document.status == "assigned",
        "complete_form": forms.CompleteForm()
        if (assignee or is_leader) and document.status in ("assigned", "processing") else None,
        "assignments": document.assignments.select_related("unit", "person", "assigned_by"),
        "notes": document.notes.select_related("author"),
        "notices": document.sender_notices.all(),
        "attachments": document.attachments.all(),
        "packages": selectors.exchange_packages(document),
        "timeline": selectors.timeline(document),
    })


@login_required
@require_POST
def incoming_action(request: HttpRequest, uuid, action: str) -> HttpResponse:
    _officials_only(request)
    document = _incoming(request, uuid)
    try:
        if action == "assign":
            form = forms.AssignForm(request.POST, agency=document.recipient)
            if not form.is_valid():
                raise services.InvalidInput(_("Thông tin phân công không hợp lệ."))
            data = form.cleaned_data
            services.assign(document, actor=request.user, targets=form.targets(),
                            deadline=data["deadline"], working_days=data["working_days"],
                            directions=data["directions"])
            messages.success(request, _("Đã phân công xử lý."))
        elif action == "start":
            services.start_processing(document, actor=request.user)
            messages.success(request, _("Đã bắt đầu xử lý."))
        elif action == "note":
            form = forms.NoteForm(request.POST)
            if not form.is_valid():
                raise services.InvalidInput(_("Hãy nhập nội dung."))
            services.add_note(document, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Đã ghi nhận."))
        elif action == "complete":
            form = forms.CompleteForm(request.POST)
            if not form.is_valid():
                raise services.InvalidInput(_("Hãy ghi kết quả xử lý."))
            services.complete(document, actor=request.user, result=form.cleaned_data["result"])
            messages.success(request, _("Đã hoàn thành xử lý văn bản."))
        else:
            raise Http404
    except DomainError as exc:
        _error(request, exc)
    return redirect("documents:incoming_detail", uuid=document.uuid)


@login_required
def incoming_attachment(request: HttpRequest, uuid, pk: int) -> HttpResponse:
    _officials_only(request)
    document = _incoming(request, uuid)
    attachment = get_object_or_404(document.attachments, pk=pk)
    return FileResponse(attachment.file.open("rb"), content_type=attachment.media_type,
                        filename=attachment.filename)


@login_required
def register(request: HttpRequest, direction: str) -> HttpResponse:
    """The outgoing or incoming register of one agency and year: print view, or ?format=pdf."""
    _officials_only(request)
    if direction not in ("di", "den"):
        raise Http404
    agencies = Agency.objects.filter(
        pk__in=request.user.role_agency_ids(Role.CLERK, Role.LEADER)).order_by("code")
    if not agencies.exists():
        raise PermissionDenied
    agency = agencies.filter(code=request.GET.get("agency", "")).first() or agencies.first()
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), dt.date.today().year + 1)
    secret = request.GET.get("secret") == "1"
    code = "out" if direction == "di" else "in"
    if request.GET.get("format") == "pdf":
        data = selectors.register_pdf(agency, year, direction=code, secret=secret,
                                      user=request.user)
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="so-van-ban-{direction}-{year}.pdf"'
        return response
    if code == "out":
        columns = selectors.OUTGOING_COLUMNS
        rows = selectors.outgoing_register(agency, year, secret=secret, user=request.user)
    else:
        columns = selectors.INCOMING_COLUMNS
        rows = selectors.incoming_register(agency, year, secret=secret, user=request.user)
    return render(request, "documents/register.html", {
        "agency": agency, "agencies": agencies, "year": year, "columns": columns,
        "rows": rows, "direction": direction, "secret": secret})


# -- the agency's settings: notation and secrecy clearances ------------------------------------
def _settings_agencies(user):
    held = user.role_agency_ids(Role.AGENCY_ADMIN, Role.CLERK)
    return Agency.objects.filter(pk__in=held).order_by("code")


def _settings_agency(request, code: str) -> Agency:
    agency = _settings_agencies(request.user).filter(code=code).first()
    if agency is None:
        raise PermissionDenied
    return agency


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """How the agency writes its notation (clerks, administrators) and who may read its
    secret documents (administrators)."""
    _officials_only(request)
    agencies = _settings_agencies(request.user)
    if not agencies.exists():
        raise PermissionDenied
    agency = agencies.filter(code=request.GET.get("agency", "")).first() or agencies.first()
    profile = IssuerProfile.objects.filter(agency=agency).first()
    is_admin = has_role(request.user, agency.pk, Role.AGENCY_ADMIN)
    context = {
        "agency": agency, "agencies": agencies, "is_admin": is_admin,
        "profile_form": forms.IssuerProfileForm(initial={
            "abbreviation": profile.abbreviation if profile else "",
            "place": profile.place if profile else ""}),
    }
    if is_admin:
        context.update(clearances=clearances.of_agency(agency),
                       clearance_form=forms.ClearanceForm(
                           officials=clearances.officials_of(agency)))
    return render(request, "documents/settings.html", context)


def _back_to_settings(agency: Agency) -> HttpResponse:
    return redirect(f"{reverse('documents:settings')}?agency={agency.code}")


@login_required
@require_POST
def settings_profile(request: HttpRequest, code: str) -> HttpResponse:
    _officials_only(request)
    agency = _settings_agency(request, code)
    form = forms.IssuerProfileForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy nhập chữ viết tắt tên cơ quan."))
        return _back_to_settings(agency)
    try:
        services.set_issuer_profile(actor=request.user, agency=agency, **form.cleaned_data)
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã lưu cách ghi ký hiệu văn bản của cơ quan."))
    return _back_to_settings(agency)


@login_required
@require_POST
def settings_clearance(request: HttpRequest, code: str) -> HttpResponse:
    _officials_only(request)
    agency = _settings_agency(request, code)
    form = forms.ClearanceForm(request.POST, officials=clearances.officials_of(agency))
    if not form.is_valid():
        messages.error(request, _("Hãy chọn cán bộ của cơ quan và độ mật."))
        return _back_to_settings(agency)
    try:
        granted = clearances.grant(actor=request.user, agency=agency, **form.cleaned_data)
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Đã cấp quyền tiếp cận văn bản mật.") if granted
                         else _("Đã thu hồi quyền tiếp cận văn bản mật."))
    return _back_to_settings(agency)
