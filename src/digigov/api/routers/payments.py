"""Fees and payments: start an online payment, list payments, counter takings, receipts,
and the gateway's notification endpoint."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from digigov.api.access import json_response, visible_dossier
from digigov.api.auth import AUTH
from digigov.api.idempotency import respond_idempotently
from digigov.api.openapi import PROBLEMS
from digigov.api.problems import code_for_status, problem_response
from digigov.core.errors import NotFound
from digigov.payments import selectors, services
from digigov.payments.models import Payment, PaymentStatus
from digigov.payments.receipt_pdf import render_receipt

router = Router(tags=["Thanh toán"], auth=AUTH)


class PaymentOut(Schema):
    uuid: uuid.UUID
    dossier: str = Field(description="Mã hồ sơ.")
    target: Literal["fee", "obligation"] = Field(
        description="fee: phí, lệ phí của hồ sơ; obligation: nghĩa vụ tài chính.")
    channel: str = Field(description="online, cash hoặc transfer.")
    amount: int = Field(description="Số tiền (VNĐ).")
    status: str = Field(description="pending, paid, failed hoặc expired.")
    gateway: str
    gateway_reference: str
    failure_reason: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    paid_at: dt.datetime | None
    receipt_number: str
    redirect_url: str | None = Field(
        None, description="Với thanh toán trực tuyến đang chờ: địa chỉ chuyển người nộp sang "
                          "cổng thanh toán.")


class ReceiptOut(Schema):
    number: str
    agency_code: str
    agency_name: str
    dossier: str
    applicant_name: str
    content: str
    amount: int
    channel: str
    gateway_reference: str
    paid_at: dt.datetime
    html_url: str = Field(description="Trang biên lai để in.")
    pdf_url: str = Field(description="Biên lai dạng PDF.")


class PaymentStart(Schema):
    target: Literal["fee", "obligation"] = "fee"


class CounterPaymentIn(Schema):
    target: Literal["fee", "obligation"] = "fee"
    channel: Literal["cash", "transfer"]
    amount: int = Field(gt=0, le=10**15, description="Số tiền (VNĐ), đúng bằng số phải nộp.")
    reference: str = Field("", max_length=100, description="Mã giao dịch (bắt buộc khi chuyển "
                                                           "khoản).")


class NotificationAck(Schema):
    code: str
    message: str


def _present(payment: Payment) -> dict:
    return {
        "uuid": payment.uuid, "dossier": payment.dossier.code,
        "target": "fee" if payment.obligation_id is None else "obligation",
        "channel": payment.channel, "amount": payment.amount, "status": payment.status,
        "gateway": payment.gateway, "gateway_reference": payment.gateway_reference,
        "failure_reason": payment.failure_reason, "created_at": payment.created_at,
        "expires_at": payment.expires_at, "paid_at": payment.paid_at,
        "receipt_number": payment.receipt_number,
        "redirect_url": (payment.redirect_url or None)
        if payment.status == PaymentStatus.PENDING else None,
    }


def _payment(user, payment_uuid: uuid.UUID) -> Payment:
    payment = selectors.visible_payment(user, payment_uuid)
    if payment is None:
        raise NotFound(_("Không tìm thấy khoản thanh toán."))
    return payment


@router.get("/dossiers/{code}/payments", response={200: list[PaymentOut], **PROBLEMS(401, 404)},
            summary="Các khoản thanh toán của hồ sơ")
def list_payments(request: HttpRequest, code: str):
    """Every payment attempt of the dossier, newest first."""
    return [_present(p) for p in selectors.payments_of(visible_dossier(request.auth, code))]


@router.post("/dossiers/{code}/payments",
             response={201: PaymentOut, **PROBLEMS(401, 403, 404, 409, 422)},
             summary="Bắt đầu thanh toán trực tuyến")
def start_payment(request: HttpRequest, code: str, payload: PaymentStart):
    """The applicant starts paying the fee or the open financial obligation online.

    Answers the payment with `redirect_url`: send the payer's browser there. A
    payment already waiting for the same debt is returned instead of a new one.
    """

    def handler():
        dossier = visible_dossier(request.auth, code)
        obligation = services.obligation_for(dossier, payload.target)
        payment = services.start_online_payment(payer=request.auth, dossier=dossier,
                                                obligation=obligation)
        return json_response(PaymentOut, _present(payment), status=201, headers={
            "Location": reverse("api-v1:get_payment", args=[payment.uuid])})

    return respond_idempotently(request, request.auth, handler)


@router.post("/dossiers/{code}/payments/counter",
             response={201: PaymentOut, **PROBLEMS(401, 403, 404, 409, 422)},
             summary="Ghi nhận nộp tiền tại bộ phận một cửa")
def counter_payment(request: HttpRequest, code: str, payload: CounterPaymentIn):
    """Counter officer: cash taken, or a bank transfer received; a receipt number is issued."""

    def handler():
        dossier = visible_dossier(request.auth, code)
        obligation = services.obligation_for(dossier, payload.target)
        payment = services.record_counter_payment(
            officer=request.auth, dossier=dossier, channel=payload.channel,
            amount=payload.amount, obligation=obligation, reference=payload.reference)
        return json_response(PaymentOut, _present(payment), status=201, headers={
            "Location": reverse("api-v1:get_payment", args=[payment.uuid])})

    return respond_idempotently(request, request.auth, handler)


@router.get("/payments/{payment_uuid}", response={200: PaymentOut, **PROBLEMS(401, 404)},
            summary="Chi tiết khoản thanh toán", url_name="get_payment")
def get_payment(request: HttpRequest, payment_uuid: uuid.UUID):
    return _present(_payment(request.auth, payment_uuid))


@router.get("/payments/{payment_uuid}/receipt", response={200: ReceiptOut, **PROBLEMS(401, 404)},
            summary="Biên lai thu phí, lệ phí")
def get_receipt(request: HttpRequest, payment_uuid: uuid.UUID):
    """The receipt of a paid payment; `html_url` is the printable page."""
    payment = _payment(request.auth, payment_uuid)
    if payment.status != PaymentStatus.PAID:
        raise NotFound(_("Khoản thanh toán chưa hoàn tất nên chưa có biên lai."))
    dossier = payment.dossier
    content = (_("Phí, lệ phí: %(name)s") % {"name": dossier.procedure.name}
               if payment.obligation_id is None
               else _("Nghĩa vụ tài chính: %(reason)s") % {"reason": payment.obligation.reason})
    return {
        "number": payment.receipt_number, "agency_code": payment.receipt_agency.code,
        "agency_name": payment.receipt_agency.name, "dossier": dossier.code,
        "applicant_name": dossier.applicant_name, "content": content, "amount": payment.amount,
        "channel": payment.channel, "gateway_reference": payment.gateway_reference,
        "paid_at": payment.paid_at,
        "html_url": reverse("payments:receipt", args=[payment.uuid]),
        "pdf_url": reverse("api-v1:get_receipt_pdf", args=[payment.uuid]),
    }


@router.get("/payments/{payment_uuid}/receipt.pdf", url_name="get_receipt_pdf",
            response={200: None, **PROBLEMS(401, 404)}, summary="Biên lai dạng PDF",
            openapi_extra={"responses": {200: {"description": "Biên lai (PDF)", "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}})
def get_receipt_pdf(request: HttpRequest, payment_uuid: uuid.UUID):
    payment = _payment(request.auth, payment_uuid)
    if payment.status != PaymentStatus.PAID:
        raise NotFound(_("Khoản thanh toán chưa hoàn tất nên chưa có biên lai."))
    response = HttpResponse(render_receipt(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{payment.receipt_number}.pdf"'
    return response


@router.post("/payments/notify/{gateway}", auth=None, url_name="payment_notify",
             response={200: NotificationAck, **PROBLEMS(400, 404, 409, 422)},
             summary="Thông báo kết quả từ cổng thanh toán")
def notify(request: HttpRequest, gateway: str):
    """Server-to-server: the gateway reports a payment's result, signed with its key.

    A bad signature answers 400; an unknown payment 404; a payment already
    closed, expired or paid by another transaction 409; a wrong amount 422
    (the payment is then marked failed). A repeated notification for the same
    transaction answers 200 again and changes nothing.
    """
    outcome = services.handle_notification(gateway_name=gateway, body=request.body,
                                           headers=request.headers)
    if outcome.accepted:
        return {"code": outcome.code, "message": str(outcome.message)}
    errors = {"amount": [str(outcome.message)]} if outcome.code == "wrong_amount" else None
    return problem_response(request, status=outcome.status,
                            code=code_for_status(outcome.status), detail=str(outcome.message),
                            errors=errors)
