"""Who may see and act on which official document.

* Outgoing: officials holding any role at the issuing agency, the drafter, the
  reviewers and approver, and the units and people it was sent to inside.
* Incoming: the clerks and leaders of the receiving agency; a specialist sees
  what was assigned to them or to a unit where they hold a role.
* Secrecy: a document marked Mật, Tối mật or Tuyệt mật is visible only to a user
  holding a ``Clearance`` at its agency of at least that level, whatever else
  they hold (superusers included).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from digigov.accounts.models import Role
from digigov.core.errors import NotAllowed

from .kinds import SECRECY_LEVEL, Secrecy
from .models import Clearance, IncomingDocument, OutgoingDocument

LEVELS_AT_MOST = {
    0: [Secrecy.NONE],
    1: [Secrecy.NONE, Secrecy.SECRET],
    2: [Secrecy.NONE, Secrecy.SECRET, Secrecy.TOP_SECRET],
    3: [Secrecy.NONE, Secrecy.SECRET, Secrecy.TOP_SECRET, Secrecy.MOST_SECRET],
}


def clearance_level(user, agency_id: int) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    level = (Clearance.objects.filter(user=user, agency_id=agency_id)
             .values_list("level", flat=True).first())
    return SECRECY_LEVEL.get(level or "", 0)


def is_cleared(user, agency_id: int, secrecy: str) -> bool:
    return clearance_level(user, agency_id) >= SECRECY_LEVEL.get(secrecy or "", 0)


def _secrecy_filter(user, agency_field: str) -> Q:
    """Non-secret documents, or secret ones of an agency where the user is cleared enough."""
    allowed = Q(secrecy="")
    for agency_id, level in Clearance.objects.filter(user=user).values_list("agency_id",
                                                                            "level"):
        allowed |= Q(**{agency_field: agency_id},
                     secrecy__in=LEVELS_AT_MOST[SECRECY_LEVEL.get(level, 0)])
    return allowed


def visible_outgoing(user) -> QuerySet[OutgoingDocument]:
    qs = OutgoingDocument.objects.all()
    if not user or not user.is_authenticated or not (user.is_official or user.is_superuser):
        return qs.none()
    if not user.is_superuser:
        agencies = user.role_agency_ids()
        qs = qs.filter(Q(agency_id__in=agencies) | Q(drafter=user) | Q(approver=user)
                       | Q(review_steps__reviewer=user)
                       | Q(status="issued", recipients__unit_id__in=agencies)
                       | Q(status="issued", recipients__person=user)).distinct()
    return qs.filter(_secrecy_filter(user, "agency_id"))


def visible_incoming(user) -> QuerySet[IncomingDocument]:
    qs = IncomingDocument.objects.all()
    if not user or not user.is_authenticated or not (user.is_official or user.is_superuser):
        return qs.none()
    if not user.is_superuser:
        managing = user.role_agency_ids(Role.CLERK, Role.LEADER)
        agencies = user.role_agency_ids()
        qs = qs.filter(Q(recipient_id__in=managing) | Q(assignments__person=user)
                       | Q(assignments__unit_id__in=agencies)).distinct()
    return qs.filter(_secrecy_filter(user, "recipient_id"))


def has_role(user, agency_id: int, *roles: str) -> bool:
    if user.is_superuser:
        return True
    if not user.is_authenticated or not user.is_official:
        return False
    qs = user.role_assignments.filter(agency_id=agency_id)
    if roles:
        qs = qs.filter(role__in=roles)
    return qs.exists()


def require_role(user, agency, *roles: str) -> None:
    if not has_role(user, agency.pk, *roles):
        if roles:
            names = ", ".join(str(Role(r).label) for r in roles)
            raise NotAllowed(_("Bạn không giữ vai trò %(roles)s tại %(agency)s.")
                             % {"roles": names, "agency": agency.name})
        raise NotAllowed(_("Bạn không công tác tại %(agency)s.") % {"agency": agency.name})


def require_cleared(user, agency, secrecy: str) -> None:
    if secrecy and not is_cleared(user, agency.pk, secrecy):
        raise NotAllowed(
            _("Văn bản có độ mật “%(level)s”: %(who)s chưa được cấp quyền tiếp cận mức này "
              "tại %(agency)s.")
            % {"level": Secrecy(secrecy).label, "who": user.full_name or user.login,
               "agency": agency.name})
