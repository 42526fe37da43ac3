"""Fee computation: the version's fee table when it has one, else its fixed fee by channel."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from digigov.accounts.models import PERSONAL_ID_RE
from digigov.catalog.models import ApplicantType
from digigov.core.errors import InvalidInput

from .models import FeeRule

MAX_FEE = 10**15  # VND; the same ceiling as obligations


def applicant_type(dossier) -> str:
    """Citizen or business, from the account kind or else the declared identifier.

    A 12-digit personal identification number is a citizen's; a tax code is a
    business's. Foreigners are not told apart by identifier: a fee table
    distinguishes them through a form field instead.
    """
    user = dossier.applicant
    if user is not None and user.kind == user.Kind.BUSINESS:
        return ApplicantType.BUSINESS
    if user is not None and user.kind == user.Kind.CITIZEN:
        return ApplicantType.CITIZEN
    if PERSONAL_ID_RE.match(dossier.applicant_id_number or ""):
        return ApplicantType.CITIZEN
    return ApplicantType.BUSINESS


def _matches(rule: FeeRule, dossier, kind: str) -> bool:
    if rule.channel is not None and rule.channel != dossier.channel:
        return False
    if rule.applicant_type and rule.applicant_type != kind:
        return False
    if rule.field_key:
        value = str(dossier.form_data.get(rule.field_key, "")).strip()
        if value.casefold() != rule.field_value.strip().casefold():
            return False
    return True


def _quantity(rule: FeeRule, dossier) -> int:
    """The whole number in the rule's quantity field; a started unit counts as one."""
    raw = str(dossier.form_data.get(rule.quantity_field, "")).strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value < 0:
        raise InvalidInput(
            _("Cần khai số lượng (số không âm) để tính phí, lệ phí."),
            fields={rule.quantity_field: [_("Bắt buộc, là số không âm.")]},
        )
    return math.ceil(value)


def compute_fee(dossier) -> int:
    """The fee in VND for this dossier under its procedure version (0: no fee)."""
    version = dossier.procedure_version
    kind = applicant_type(dossier)
    for rule in version.fee_rules.all():
        if not _matches(rule, dossier, kind):
            continue
        amount = rule.amount * _quantity(rule, dossier) if rule.quantity_field else rule.amount
        if amount > MAX_FEE:
            raise InvalidInput(_("Số tiền phí vượt quá giới hạn cho phép."),
                               fields={rule.quantity_field or "amount": [_("Quá lớn.")]})
        return amount
    return version.fee_for(dossier.channel)
