"""Read queries for payment pages, the API and the dossier pages."""

from __future__ import annotations

from digigov.dossiers.models import Dossier

from . import services
from .models import Payment, PaymentStatus
from .money import format_vnd


def payments_of(dossier: Dossier):
    return dossier.payments.select_related("obligation", "receipt_agency").order_by(
        "-created_at", "-pk")


def amounts_owed(dossier: Dossier) -> list[dict]:
    """What the applicant still has to pay: the fee and the open obligation, if any."""
    owed = []
    if services.fee_outstanding(dossier):
        owed.append({"target": "fee", "amount": dossier.fee_amount, "obligation": None,
                     "amount_display": format_vnd(dossier.fee_amount)})
    obligation = services.open_obligation(dossier)
    if obligation is not None and not obligation.payments.filter(
            status=PaymentStatus.PAID).exists():
        owed.append({"target": "obligation", "amount": obligation.amount,
                     "obligation": obligation, "amount_display": format_vnd(obligation.amount)})
    return owed


def visible_payment(user, payment_uuid) -> Payment | None:
    """The payment if the user may see its dossier (applicant or official of its units)."""
    from digigov.dossiers.permissions import visible_dossiers

    return (Payment.objects.select_related("dossier", "dossier__agency", "obligation",
                                           "receipt_agency")
            .filter(uuid=payment_uuid, dossier__in=visible_dossiers(user)).first())


def place_of(agency) -> str:
    """The place name of a receipt's date line: the nearest area up the agency tree."""
    seen = set()
    while agency is not None and agency.pk not in seen:
        seen.add(agency.pk)
        if agency.area_id:
            return agency.area.name
        agency = agency.parent
    return ""
