"""The interface between digigov and a payment gateway.

A gateway (the national payment platform, a bank, the local sandbox) does
three things: start a payment and say where to send the payer; verify a
notification it sent back (signature, format) and say what it reports; and
answer, when asked, what state a payment is in on its side.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from digigov.payments.models import Payment


class InvalidNotification(Exception):
    """A notification that cannot be trusted (bad signature) or read (bad format)."""


class GatewayUnavailable(Exception):
    """The gateway could not be reached, or refused to start the payment."""


@dataclass(frozen=True)
class GatewaySession:
    """A started payment: where to send the payer, and the gateway's transaction reference."""

    redirect_url: str
    reference: str


@dataclass(frozen=True)
class GatewayNotification:
    """What a verified notification says about one payment."""

    payment_uuid: str      # our reference, sent to the gateway when the payment started
    reference: str         # the gateway's transaction reference
    amount: int            # VND actually paid (or attempted)
    succeeded: bool
    message: str = ""
    raw: Mapping = field(default_factory=dict)


@dataclass(frozen=True)
class GatewayStatus:
    """The gateway's answer to a status query."""

    state: str             # "pending", "paid", "failed" or "unknown"
    amount: int | None = None
    reference: str = ""


class PaymentGateway(abc.ABC):
    #: the name in notification URLs (/api/v1/payments/notify/<name>) and on payment records
    name: str = ""

    @abc.abstractmethod
    def create_payment(self, payment: Payment, *, description: str, return_url: str,
                       notify_url: str) -> GatewaySession:
        """Register the payment with the gateway; return where to redirect the payer.

        Raise ``GatewayUnavailable`` when the gateway cannot be reached or refuses.
        """

    @abc.abstractmethod
    def verify_notification(self, body: bytes, headers: Mapping[str, str]) -> GatewayNotification:
        """Check the signature and read the notification; raise ``InvalidNotification``."""

    @abc.abstractmethod
    def query_status(self, payment: Payment) -> GatewayStatus:
        """Ask the gateway what it knows of the payment."""
