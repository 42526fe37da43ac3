"""Payment pages: the applicant's online payment, the return page, receipts, counter takings,
and the sandbox gateway's own payment page.

Views are thin: they parse input, call one service or selector, and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from digigov.core.errors import DomainError
from digigov.dossiers.models import Dossier
from digigov.dossiers.permissions import visible_dossiers

from . import selectors, services
from .forms import CounterPaymentForm, PayForm
from .gateways.sandbox import SandboxGateway
from .models import PaymentChannel, PaymentStatus, SandboxTransaction
from .money import format_vnd
from .receipt_pdf import render_receipt


def _own_dossier(request: HttpRequest, dossier_uuid) -> Dossier:
    # Only the applicant's own dossiers exist here; anyone else gets 404.
    queryset = visible_dossiers(request.user).filter(applicant=request.user)
    return get_object_or_404(queryset.select_related("procedure", "agency"), uuid=dossier_uuid)


def _pay_page(request, dossier: Dossier, *, form: PayForm | None = None, status: int = 200):
    return render(request, "payments/pay.html", {
        "dossier": dossier, "owed": selectors.amounts_owed(dossier),
        "payments": selectors.payments_of(dossier), "form": form,
        "fee_display": format_vnd(dossier.fee_amount),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, dossier_uuid) -> HttpResponse:
    """Thanh toán trực tuyến: what is owed, and the button that goes to the gateway."""
    dossier = _own_dossier(request, dossier_uuid)
    if request.method == "GET":
        return _pay_page(request, dossier)
    form = PayForm(request.POST)
    if not form.is_valid():
        return _pay_page(request, dossier, form=form, status=400)
    try:
        obligation = services.obligation_for(dossier, form.cleaned_data["target"])
        payment = services.start_online_payment(payer=request.user, dossier=dossier,
                                                obligation=obligation)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return _pay_page(request, dossier, form=form, status=exc.status)
    return redirect(payment.redirect_url)


@login_required
def payment_return(request: HttpRequest, payment_uuid) -> HttpResponse:
    """Where the gateway sends the browser back: the outcome as recorded, not as the URL says."""
    payment = selectors.visible_payment(request.user, payment_uuid)
    if payment is None or payment.dossier.applicant_id != request.user.pk:
        raise Http404
    return render(request, "payments/return.html", {
        "payment": payment, "dossier": payment.dossier,
        "amount": format_vnd(payment.amount),
        "paid": payment.status == PaymentStatus.PAID,
        "pending": payment.status == PaymentStatus.PENDING,
    })


@login_required
def receipt(request: HttpRequest, payment_uuid) -> HttpResponse:
    """The printable receipt of a paid payment (applicant, or officials of the dossier's units)."""
    payment = selectors.visible_payment(request.user, payment_uuid)
    if payment is None or payment.status != PaymentStatus.PAID:
        raise Http404
    response = render(request, "payments/receipt.html", {
        "payment": payment, "dossier": payment.dossier, "agency": payment.receipt_agency,
        "amount": format_vnd(payment.amount), "date": payment.paid_at,
        "place": selectors.place_of(payment.receipt_agency),
        # Online, the gateway collected the money; at the counter, the officer did.
        "collector": payment.created_by if payment.channel != PaymentChannel.ONLINE else None,
    })
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def receipt_pdf(request: HttpRequest, payment_uuid) -> HttpResponse:
    """The same receipt as a PDF document."""
    payment = selectors.visible_payment(request.user, payment_uuid)
    if payment is None or payment.status != PaymentStatus.PAID:
        raise Http404
    response = HttpResponse(render_receipt(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{payment.receipt_number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def counter_payment(request: HttpRequest, dossier_uuid) -> HttpResponse:
    """A counter officer records cash taken or a bank transfer received."""
    if not (request.user.is_official or request.user.is_superuser):
        raise PermissionDenied(_("Trang này chỉ dành cho cán bộ, công chức."))
    dossier = get_object_or_404(visible_dossiers(request.user), uuid=dossier_uuid)
    form = CounterPaymentForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(f"{form.fields[k].label}: {' '.join(v)}" if k in form.fields
                             else " ".join(v) for k, v in form.errors.items())
        messages.error(request, _("Chưa ghi nhận được khoản nộp: %(p)s") % {"p": problems})
        return redirect("office:detail", dossier_uuid=dossier.uuid)
    data = form.cleaned_data
    try:
        obligation = services.obligation_for(dossier, data["target"])
        payment = services.record_counter_payment(
            officer=request.user, dossier=dossier, channel=data["channel"],
            amount=data["amount"], obligation=obligation, reference=data["reference"])
    except DomainError as exc:
        details = " ".join(str(m) for msgs in exc.fields.values() for m in msgs)
        messages.error(request, f"{exc.message} {details}".strip())
        return redirect("office:detail", dossier_uuid=dossier.uuid)
    messages.success(request, _("Đã ghi nhận khoản nộp, biên lai số %(number)s.")
                     % {"number": payment.receipt_number})
    return redirect("office:detail", dossier_uuid=dossier.uuid)


# -- the sandbox gateway's page ------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def sandbox(request: HttpRequest, transaction_id: str) -> HttpResponse:
    """The sandbox's hosted payment page: pay, fail or abandon.

    Like a real gateway it is reached by an unguessable transaction id, not
    by a digigov sign-in; its notification goes through the same handler as
    the notification endpoint of the API.
    """
    txn = get_object_or_404(SandboxTransaction, transaction_id=transaction_id)
    if request.method == "GET":
        return render(request, "payments/sandbox.html", {
            "txn": txn, "amount": format_vnd(txn.amount),
            "open": txn.state == SandboxTransaction.State.OPEN,
        })
    choice = request.POST.get("choice")
    if choice not in ("pay", "fail", "abandon"):
        return render(request, "payments/sandbox.html", {
            "txn": txn, "amount": format_vnd(txn.amount),
            "open": txn.state == SandboxTransaction.State.OPEN,
            "error": _("Hãy chọn một thao tác."),
        }, status=400)
    finished = SandboxGateway.finish(transaction_id, choice)
    if finished is not None and choice != "abandon":
        body, headers = SandboxGateway.notification_for(finished, succeeded=choice == "pay")
        services.handle_notification(gateway_name=SandboxGateway.name, body=body,
                                     headers=headers)
    return redirect(txn.return_url)
