"""Every state change of a payment: start one online, settle a gateway notification,
record money taken at the counter, expire abandoned ones.

The dossier itself changes only through ``digigov.dossiers.services``
(``record_fee_payment``, ``settle_financial_obligation``), in the same
transaction as the payment.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digigov.accounts.models import Role
from digigov.audit.services import record
from digigov.core.errors import DomainError, InvalidInput, InvalidTransition
from digigov.dossiers import services as dossier_services
from digigov.dossiers.models import Dossier, FinancialObligation, Status
from digigov.dossiers.permissions import require_applicant, require_role

from . import conf
from .gateways import (
    GatewayNotification,
    GatewayUnavailable,
    InvalidNotification,
    PaymentGateway,
    get_gateway,
)
from .models import Payment, PaymentChannel, PaymentStatus
from .money import format_vnd
from .receipts import next_receipt_sequence

logger = logging.getLogger(__name__)

# A fee may still be paid while the dossier is being handled or after the result.
FEE_PAYABLE_STATUSES = (
    Status.NEW, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED,
    Status.FINANCIAL_OBLIGATION, Status.PROCESSED,
)
MAX_REFERENCE = Payment._meta.get_field("gateway_reference").max_length


class PaymentGatewayDown(DomainError):
    """The gateway did not start the payment; nothing was stored, the payer may retry."""

    status = 503
    title = gettext_lazy("Cổng thanh toán không phản hồi")
    code = "internal_error"  # the documented problem type: nothing done, try again later


# -- what is owed ------------------------------------------------------------------------
def paid_fee(dossier: Dossier) -> Payment | None:
    return dossier.payments.filter(obligation__isnull=True, status=PaymentStatus.PAID).first()


def open_obligation(dossier: Dossier) -> FinancialObligation | None:
    if dossier.status != Status.FINANCIAL_OBLIGATION:
        return None
    return dossier.obligations.filter(fulfilled_at__isnull=True).order_by("-requested_at").first()


def obligation_for(dossier: Dossier, target: str) -> FinancialObligation | None:
    """``"fee"`` -> None; ``"obligation"`` -> the open obligation, or refuse when there is none."""
    if target == "fee":
        return None
    if target != "obligation":
        raise InvalidInput(_("Khoản nộp phải là phí, lệ phí hoặc nghĩa vụ tài chính."),
                           fields={"target": [_("Không hợp lệ.")]})
    obligation = open_obligation(dossier)
    if obligation is None:
        raise InvalidTransition(_("Hồ sơ %(code)s không có nghĩa vụ tài chính đang chờ nộp.")
                                % {"code": dossier.code})
    return obligation


def fee_outstanding(dossier: Dossier) -> bool:
    return (dossier.fee_amount > 0 and dossier.status in FEE_PAYABLE_STATUSES
            and paid_fee(dossier) is None)


def _target(dossier: Dossier, obligation: FinancialObligation | None) -> int:
    """The amount owed for the fee or the obligation; refuse when nothing is owed."""
    if obligation is None:
        if dossier.fee_amount <= 0:
            raise InvalidTransition(_("Hồ sơ %(code)s không phải nộp phí, lệ phí.")
                                    % {"code": dossier.code})
        if dossier.status not in FEE_PAYABLE_STATUSES:
            raise InvalidTransition(
                _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”: không thu phí, lệ phí.")
                % {"code": dossier.code, "status": dossier.get_status_display()})
        if paid_fee(dossier) is not None:
            raise InvalidTransition(_("Phí, lệ phí của hồ sơ %(code)s đã được nộp.")
                                    % {"code": dossier.code})
        return dossier.fee_amount
    if obligation.dossier_id != dossier.pk:
        raise InvalidInput(_("Nghĩa vụ tài chính không thuộc hồ sơ này."),
                           fields={"obligation": [_("Không hợp lệ.")]})
    if obligation.fulfilled_at is not None or obligation.payments.filter(
            status=PaymentStatus.PAID).exists():
        raise InvalidTransition(_("Nghĩa vụ tài chính này đã được thực hiện."))
    if dossier.status != Status.FINANCIAL_OBLIGATION:
        raise InvalidTransition(
            _("Hồ sơ %(code)s không ở trạng thái chờ thực hiện nghĩa vụ tài chính.")
            % {"code": dossier.code})
    return obligation.amount


def _lock_dossier(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


def _absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


# -- online payment ------------------------------------------------------------------------
@transaction.atomic
def start_online_payment(*, payer, dossier: Dossier, obligation: FinancialObligation | None = None,
                         gateway: PaymentGateway | None = None,
                         now: dt.datetime | None = None) -> Payment:
    """The applicant starts paying online; the payment carries the gateway's redirect URL.

    A live pending payment for the same fee or obligation is handed back
    instead of a second one, so that one debt is never being paid twice in
    two browser tabs.
    """
    now = now or timezone.now()
    dossier = _lock_dossier(dossier)
    require_applicant(payer, dossier)
    amount = _target(dossier, obligation)
    expire_due(dossier=dossier, now=now)
    pending = dossier.payments.filter(obligation=obligation, status=PaymentStatus.PENDING,
                                      channel=PaymentChannel.ONLINE)
    live = pending.filter(expires_at__gt=now, amount=amount).first()
    if live is not None:
        return live
    gateway = gateway or get_gateway()
    payment = Payment.objects.create(
        dossier=dossier, obligation=obligation, channel=PaymentChannel.ONLINE, amount=amount,
        gateway=gateway.name, created_by=payer, created_at=now,
        expires_at=now + dt.timedelta(minutes=conf.expiry_minutes()),
    )
    description = (_("Phí, lệ phí hồ sơ %(code)s") if obligation is None
                   else _("Nghĩa vụ tài chính hồ sơ %(code)s")) % {"code": dossier.code}
    try:
        session = gateway.create_payment(
            payment, description=description,
            return_url=_absolute(reverse("payments:return", args=[payment.uuid])),
            notify_url=_absolute(reverse("api-v1:payment_notify", args=[gateway.name])),
        )
    except GatewayUnavailable as exc:
        logger.warning("Gateway %s did not start payment %s: %s", gateway.name, payment.uuid,
                       exc)
        # Raising rolls the new payment back: nothing is left half-started.
        raise PaymentGatewayDown(
            _("Cổng thanh toán tạm thời không phản hồi; hãy thử lại sau ít phút.")) from exc
    payment.gateway_reference = session.reference[:MAX_REFERENCE]
    payment.redirect_url = session.redirect_url
    payment.save(update_fields=["gateway_reference", "redirect_url"])
    record(actor=payer, action="start_payment", obj=payment, to_state=payment.status,
           dossier=dossier.code, amount=amount)
    return payment


@dataclass(frozen=True)
class NotificationOutcome:
    """How a gateway notification was handled: the HTTP status to answer and why."""

    status: int
    code: str
    message: str
    payment: Payment | None = None

    @property
    def accepted(self) -> bool:
        return self.status == 200


def _close(payment: Payment, status: str, reason: str, now: dt.datetime,
           reference: str = "") -> None:
    previous = payment.status
    payment.status = status
    payment.failure_reason = reason
    payment.closed_at = now
    if reference and not payment.gateway_reference:
        payment.gateway_reference = reference[:MAX_REFERENCE]
    payment.save()
    record(actor=None, action=f"payment_{status}", obj=payment, from_state=previous,
           to_state=status, reason=reason)


def _mark_paid(payment: Payment, *, actor, now: dt.datetime) -> None:
    """Paid: a receipt number from the agency's yearly series, then the dossier's service."""
    payment.status = PaymentStatus.PAID
    payment.paid_at = payment.closed_at = now
    payment.receipt_agency_id = payment.dossier.agency_id
    payment.receipt_year = timezone.localdate(now).year
    payment.receipt_sequence = next_receipt_sequence(payment.receipt_agency_id,
                                                     payment.receipt_year)
    payment.save()
    record(actor=actor, action="payment_paid", obj=payment, from_state=PaymentStatus.PENDING,
           to_state=PaymentStatus.PAID, receipt=payment.receipt_number, amount=payment.amount)
    if payment.obligation_id is None:
        dossier_services.record_fee_payment(actor=actor, dossier=payment.dossier,
                                            amount=payment.amount, receipt=payment.receipt_number,
                                            channel=payment.channel)
    else:
        dossier_services.settle_financial_obligation(
            actor=actor, dossier=payment.dossier, obligation=payment.obligation,
            receipt=payment.receipt_number, channel=payment.channel, now=now)


def _settle(payment: Payment, note: GatewayNotification, now: dt.datetime, *,
            check_expiry: bool = True) -> NotificationOutcome:
    """Apply a verified notification to a payment locked by the caller."""
    if payment.gateway_reference and note.reference != payment.gateway_reference:
        return NotificationOutcome(400, "reference_mismatch", _(
            "Mã giao dịch không khớp với khoản thanh toán."), payment)
    if payment.status == PaymentStatus.PAID:
        if note.succeeded:
            return NotificationOutcome(200, "already_paid", _(
                "Giao dịch đã được ghi nhận trước đó."), payment)
        return NotificationOutcome(409, "already_paid", _(
            "Khoản thanh toán đã hoàn tất; không thay đổi."), payment)
    if payment.status in (PaymentStatus.FAILED, PaymentStatus.EXPIRED):
        if not note.succeeded:
            return NotificationOutcome(200, "already_closed", _(
                "Giao dịch đã được ghi nhận trước đó."), payment)
        logger.warning("Payment %s reported paid after it was closed (%s): refund needed",
                       payment.uuid, payment.status)
        return NotificationOutcome(409, "payment_closed", _(
            "Khoản thanh toán đã đóng (%(status)s); không ghi nhận.")
            % {"status": payment.get_status_display()}, payment)
    if check_expiry and payment.expires_at is not None and now > payment.expires_at:
        _close(payment, PaymentStatus.EXPIRED,
               _("Thông báo của cổng thanh toán đến sau thời hạn thanh toán."), now)
        return NotificationOutcome(409, "payment_expired", _(
            "Khoản thanh toán đã hết hạn."), payment)
    if not note.succeeded:
        _close(payment, PaymentStatus.FAILED,
               note.message or _("Cổng thanh toán báo giao dịch không thành công."), now)
        return NotificationOutcome(200, "failed_recorded", _(
            "Đã ghi nhận giao dịch không thành công."), payment)
    if note.amount != payment.amount:
        _close(payment, PaymentStatus.FAILED,
               _("Số tiền không khớp: phải nộp %(expected)s VNĐ, cổng báo %(got)s VNĐ.")
               % {"expected": format_vnd(payment.amount), "got": format_vnd(note.amount)}, now)
        return NotificationOutcome(422, "wrong_amount", _(
            "Số tiền thanh toán không khớp với số tiền phải nộp."), payment)
    dossier = _lock_dossier(payment.dossier)
    try:
        _target(dossier, payment.obligation)
    except (InvalidTransition, InvalidInput) as exc:
        logger.warning("Payment %s paid but no longer owed: refund needed", payment.uuid)
        _close(payment, PaymentStatus.FAILED, str(exc.message), now)
        return NotificationOutcome(409, "not_owed", str(exc.message), payment)
    payment.dossier = dossier
    _mark_paid(payment, actor=None, now=now)
    return NotificationOutcome(200, "paid", _("Đã ghi nhận thanh toán."), payment)


def handle_notification(*, gateway_name: str, body: bytes, headers: Mapping[str, str],
                        now: dt.datetime | None = None) -> NotificationOutcome:
    """A gateway reports on a payment (server to server). Refusals change nothing,
    except that a wrong amount or a late report closes the pending payment with the reason."""
    now = now or timezone.now()
    try:
        gateway = get_gateway(gateway_name)
    except LookupError:
        return NotificationOutcome(404, "unknown_gateway", _("Không có cổng thanh toán này."))
    try:
        note = gateway.verify_notification(body, headers)
    except InvalidNotification as exc:
        logger.warning("Refused a %s notification: %s", gateway.name, exc)
        return NotificationOutcome(400, "invalid_notification", _(
            "Thông báo không hợp lệ hoặc sai chữ ký."))
    try:
        payment_uuid = uuid.UUID(str(note.payment_uuid))
    except ValueError:
        return NotificationOutcome(404, "unknown_payment", _("Không tìm thấy khoản thanh toán."))
    with transaction.atomic():
        payment = (Payment.objects.select_for_update()
                   .filter(uuid=payment_uuid, gateway=gateway.name).first())
        if payment is None:
            return NotificationOutcome(404, "unknown_payment", _(
                "Không tìm thấy khoản thanh toán."))
        return _settle(payment, note, now)


# -- at the counter ---------------------------------------------------------------------------
@transaction.atomic
def record_counter_payment(*, officer, dossier: Dossier, channel: str, amount: int,
                           obligation: FinancialObligation | None = None, reference: str = "",
                           now: dt.datetime | None = None) -> Payment:
    """A counter officer takes the fee or an obligation in cash, or confirms a bank transfer."""
    now = now or timezone.now()
    dossier = _lock_dossier(dossier)
    require_role(officer, dossier.agency_id, Role.COUNTER_OFFICER)
    reference = (reference or "").strip()
    errors = {}
    if channel not in (PaymentChannel.CASH, PaymentChannel.TRANSFER):
        errors["channel"] = [_("Chọn tiền mặt hoặc chuyển khoản.")]
    if channel == PaymentChannel.TRANSFER and not reference:
        errors["reference"] = [_("Hãy ghi mã giao dịch chuyển khoản.")]
    if len(reference) > MAX_REFERENCE:
        errors["reference"] = [_("Quá dài.")]
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        errors["amount"] = [_("Số tiền phải là số nguyên dương (VNĐ).")]
    if errors:
        raise InvalidInput(_("Thông tin nộp tiền chưa hợp lệ."), fields=errors)
    owed = _target(dossier, obligation)
    if amount != owed:
        raise InvalidInput(
            _("Số tiền phải đúng bằng số phải nộp: %(owed)s VNĐ.") % {"owed": format_vnd(owed)},
            fields={"amount": [_("Không khớp với số phải nộp.")]})
    if reference and Payment.objects.filter(gateway=channel, gateway_reference=reference).exists():
        raise InvalidInput(_("Mã giao dịch này đã được ghi nhận cho một khoản khác."),
                           fields={"reference": [_("Đã dùng.")]})
    payment = Payment.objects.create(
        dossier=dossier, obligation=obligation, channel=channel, amount=amount,
        gateway=channel if reference else "", gateway_reference=reference,
        created_by=officer, created_at=now)
    _mark_paid(payment, actor=officer, now=now)
    return payment


# -- expiry ---------------------------------------------------------------------------------
def expire_due(*, dossier: Dossier | None = None, now: dt.datetime | None = None) -> int:
    """Close pending online payments past their deadline; return how many were closed.

    The gateway is asked first: a payment it reports as paid (its notification
    was lost) is settled instead of expired.
    """
    now = now or timezone.now()
    stale = Payment.objects.filter(status=PaymentStatus.PENDING, expires_at__lte=now)
    if dossier is not None:
        stale = stale.filter(dossier=dossier)
    closed = 0
    for payment_id in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            payment = Payment.objects.select_for_update().get(pk=payment_id)
            if payment.status != PaymentStatus.PENDING:
                continue
            if _reconciled(payment, now):
                continue
            _close(payment, PaymentStatus.EXPIRED,
                   _("Quá thời hạn thanh toán mà không nhận được kết quả."), now)
            closed += 1
    return closed


def _reconciled(payment: Payment, now: dt.datetime) -> bool:
    """Settle a stale payment the gateway says was paid in time; True when settled."""
    try:
        gateway = get_gateway(payment.gateway)
    except LookupError:
        return False
    status = gateway.query_status(payment)
    if status.state != "paid" or status.amount != payment.amount:
        return False
    note = GatewayNotification(payment_uuid=str(payment.uuid), reference=status.reference,
                               amount=status.amount, succeeded=True)
    # The gateway reports it paid: its notification was lost, not late.
    outcome = _settle(payment, note, now, check_expiry=False)
    return outcome.accepted

