"""PDF downloads of the one-stop forms, checked exactly like the printable HTML forms.

Officials: forms 01-06 of a dossier they can see (404 outside their units) and
the tracking register (form 07) of their units. Applicants: forms 01-05 of
their own dossiers, in the portal.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from digigov.core.errors import NotFound
from digigov.dossiers import selectors
from digigov.dossiers.forms_office import RegisterFilterForm
from digigov.dossiers.permissions import visible_dossiers
from digigov.dossiers.views_office import _dossier_or_404, official_required

from .documents import available_forms, render_form, render_register

APPLICANT_FORMS = ("01", "02", "03", "04", "05")


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _form_pdf(dossier, number: str) -> HttpResponse:
    if number not in available_forms(dossier):
        raise Http404(_("Biểu mẫu này không áp dụng cho hồ sơ ở trạng thái hiện tại."))
    try:
        data = render_form(dossier, number)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    return pdf_response(data, f"mau-{number}-{dossier.code}.pdf")


@official_required
def office_form(request: HttpRequest, dossier_uuid, number: str) -> HttpResponse:
    return _form_pdf(_dossier_or_404(request.user, dossier_uuid), number)


@official_required
def office_register(request: HttpRequest) -> HttpResponse:
    agencies = selectors.register_agencies(request.user)
    if not agencies.exists():
        raise PermissionDenied(_("Bạn không giữ vai trò tại đơn vị nào."))
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("agency", str(agencies.first().uuid))
    data.setdefault("date_from", today.replace(day=1).isoformat())
    data.setdefault("date_to", today.isoformat())
    form = RegisterFilterForm(data, agencies=agencies)
    if not form.is_valid():
        messages = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        return HttpResponse(_("Phạm vi sổ theo dõi chưa hợp lệ: %(errors)s") % {"errors": messages},
                            status=400, content_type="text/plain; charset=utf-8")
    cleaned = form.cleaned_data
    rows = selectors.tracking_register(
        request.user, cleaned["agency"], date_from=cleaned["date_from"],
        date_to=cleaned["date_to"], status=cleaned["status"], procedure=cleaned["procedure"])
    pdf = render_register(cleaned["agency"], rows, cleaned["date_from"], cleaned["date_to"])
    return pdf_response(pdf, f"so-theo-doi-{cleaned['date_from']:%Y%m%d}-"
                             f"{cleaned['date_to']:%Y%m%d}.pdf")


@login_required
def portal_form(request: HttpRequest, uuid, number: str) -> HttpResponse:
    if number not in APPLICANT_FORMS:
        raise Http404
    own = visible_dossiers(request.user).filter(applicant=request.user)
    return _form_pdf(get_object_or_404(own, uuid=uuid), number)
