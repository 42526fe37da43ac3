"""The payment sections of the portal and office dossier pages."""

from django import template

from digigov.accounts.models import Role

from .. import selectors
from ..forms import CounterPaymentForm
from ..money import format_vnd

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """{{ payment.amount|vnd }} -> 150.000"""
    return format_vnd(amount)


@register.inclusion_tag("payments/_portal_section.html", takes_context=True)
def portal_payments(context, dossier):
    return {"dossier": dossier, "owed": selectors.amounts_owed(dossier),
            "payments": selectors.payments_of(dossier), "request": context.get("request")}


@register.inclusion_tag("payments/_office_section.html", takes_context=True)
def office_payments(context, dossier):
    user = context["request"].user
    owed = selectors.amounts_owed(dossier)
    can_take = bool(owed) and (user.is_superuser or user.role_assignments.filter(
        agency_id=dossier.agency_id, role=Role.COUNTER_OFFICER).exists())
    return {
        "dossier": dossier, "owed": owed, "payments": selectors.payments_of(dossier),
        "form": CounterPaymentForm(initial={"amount": owed[0]["amount"],
                                            "target": owed[0]["target"]}) if can_take else None,
        "csrf_token": context.get("csrf_token"), "request": context.get("request"),
    }
