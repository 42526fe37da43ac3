"""``SandboxGateway``: a local stand-in for a real payment gateway, for demos and tests.

It behaves like a hosted-payment gateway: starting a payment opens a
transaction in its own ledger and sends the payer to its payment page
(/thanh-toan/sandbox/<transaction>/), where they pay, fail or abandon. On pay
or fail it sends an HMAC-SHA256 signed notification to digigov's notification
endpoint and sends the browser back to the return URL. No money moves.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from digigov.payments import conf
from digigov.payments.models import Payment, SandboxTransaction

from .base import (
    GatewayNotification,
    GatewaySession,
    GatewayStatus,
    InvalidNotification,
    PaymentGateway,
)

SIGNATURE_HEADER = "X-Sandbox-Signature"
REQUIRED_FIELDS = {"transaction_id": str, "merchant_reference": str, "amount": int,
                   "result": str, "message": str, "timestamp": str}
RESULTS = {"success": True, "declined": False}


def sign(body: bytes, secret: bytes | None = None) -> str:
    return hmac.new(secret or conf.sandbox_secret(), body, hashlib.sha256).hexdigest()


class SandboxGateway(PaymentGateway):
    name = "sandbox"

    def create_payment(self, payment: Payment, *, description: str, return_url: str,
                       notify_url: str) -> GatewaySession:
        txn = SandboxTransaction.objects.create(
            transaction_id=f"SBX{secrets.token_hex(12).upper()}",
            merchant_reference=str(payment.uuid), amount=payment.amount,
            description=description[:300], return_url=return_url, notify_url=notify_url,
        )
        return GatewaySession(
            redirect_url=reverse("payments:sandbox", args=[txn.transaction_id]),
            reference=txn.transaction_id,
        )

    def verify_notification(self, body: bytes, headers: Mapping[str, str]) -> GatewayNotification:
        signature = headers.get(SIGNATURE_HEADER) or ""
        if not hmac.compare_digest(signature.encode(), sign(body).encode()):
            raise InvalidNotification("bad signature")
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise InvalidNotification("not JSON") from exc
        if not isinstance(data, dict):
            raise InvalidNotification("not an object")
        for key, kind in REQUIRED_FIELDS.items():
            if not isinstance(data.get(key), kind) or isinstance(data.get(key), bool):
                raise InvalidNotification(f"missing or malformed {key}")
        if data["result"] not in RESULTS:
            raise InvalidNotification("unknown result")
        return GatewayNotification(
            payment_uuid=data["merchant_reference"], reference=data["transaction_id"],
            amount=data["amount"], succeeded=RESULTS[data["result"]], message=data["message"],
            raw=data,
        )

    def query_status(self, payment: Payment) -> GatewayStatus:
        txn = SandboxTransaction.objects.filter(transaction_id=payment.gateway_reference).first()
        if txn is None:
            return GatewayStatus("unknown")
        state = {SandboxTransaction.State.SUCCEEDED: "paid",
                 SandboxTransaction.State.DECLINED: "failed"}.get(txn.state, "pending")
        return GatewayStatus(state, amount=txn.amount, reference=txn.transaction_id)

    # -- the sandbox's own side: what the payer does on its page ---------------------------
    @staticmethod
    def notification_for(txn: SandboxTransaction, *, succeeded: bool,
                         amount: int | None = None) -> tuple[bytes, dict[str, str]]:
        """The signed notification body and headers the sandbox sends for a transaction."""
        body = json.dumps({
            "transaction_id": txn.transaction_id,
            "merchant_reference": txn.merchant_reference,
            "amount": txn.amount if amount is None else amount,
            "result": "success" if succeeded else "declined",
            "message": "" if succeeded else "Giao dịch bị từ chối tại cổng thử nghiệm.",
            "timestamp": timezone.now().isoformat(),
        }, ensure_ascii=False).encode()
        return body, {SIGNATURE_HEADER: sign(body), "Content-Type": "application/json"}

    @staticmethod
    def finish(transaction_id: str, choice: str) -> SandboxTransaction | None:
        """Record the payer's choice once; None when the transaction is unknown or finished."""
        state = {"pay": SandboxTransaction.State.SUCCEEDED,
                 "fail": SandboxTransaction.State.DECLINED,
                 "abandon": SandboxTransaction.State.ABANDONED}[choice]
        with transaction.atomic():
            txn = (SandboxTransaction.objects.select_for_update()
                   .filter(transaction_id=transaction_id).first())
            if txn is None or txn.state != SandboxTransaction.State.OPEN:
                return None
            txn.state = state
            txn.finished_at = timezone.now()
            txn.save()
        return txn
