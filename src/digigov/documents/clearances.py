"""Secrecy clearances: which officials of an agency may read its secret documents.

An agency administrator grants an official of the agency (or of a unit under it)
a clearance up to Mật, Tối mật or Tuyệt mật, changes it, or withdraws it; each
change is an audit event. ``permissions`` applies them.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from digigov.accounts.models import Role, User
from digigov.audit.services import record
from digigov.core.errors import InvalidInput
from digigov.orgs.models import Agency

from .kinds import Secrecy
from .models import Clearance
from .permissions import require_role


def of_agency(agency: Agency) -> QuerySet[Clearance]:
    return (Clearance.objects.filter(agency=agency).select_related("user")
            .order_by("user__full_name", "user__pk"))


def officials_of(agency: Agency) -> QuerySet[User]:
    """Who may be cleared at ``agency``: officials holding a role there or in a unit under it."""
    return (User.objects.filter(role_assignments__agency_id__in=agency.descendant_ids())
            .distinct().order_by("full_name", "pk"))


@transaction.atomic
def grant(*, actor: User, user: User, agency: Agency, level: str) -> Clearance | None:
    """Grant or change ``user``'s clearance at ``agency``; level "" withdraws it (None)."""
    require_role(actor, agency, Role.AGENCY_ADMIN)
    if level and level not in Secrecy.values:
        raise InvalidInput(_("Độ mật không hợp lệ."), fields={"level": [_("Không hợp lệ.")]})
    current = Clearance.objects.select_for_update().filter(user=user, agency=agency).first()
    before = current.level if current else ""
    if not level:
        if current is not None:
            current.delete()
            record(actor=actor, action="documents.clearance", obj=user, agency=agency.code,
                   from_state=before, to_state="")
        return None
    if not officials_of(agency).filter(pk=user.pk).exists():
        raise InvalidInput(
            _("Chỉ cấp quyền tiếp cận văn bản mật cho cán bộ của cơ quan hoặc đơn vị trực thuộc."),
            fields={"user": [_("Không phải cán bộ của cơ quan.")]})
    if current is None:
        current = Clearance.objects.create(user=user, agency=agency, level=level)
    elif current.level != level:
        current.level = level
        current.save(update_fields=["level"])
    if before != level:
        record(actor=actor, action="documents.clearance", obj=user, agency=agency.code,
               from_state=before, to_state=level)
    return current
