"""Who may see and act on which dossier.

An official sees the dossiers of the units where they hold a role: received
there, or currently at a step of that unit. A citizen or business sees only
their own. An instance superuser sees everything.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from digigov.accounts.models import Role
from digigov.core.errors import NotAllowed

from .models import Dossier


def visible_dossiers(user):
    qs = Dossier.objects.all()
    if not user or not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    if user.is_official:
        agencies = user.role_agency_ids()
        return qs.filter(Q(agency_id__in=agencies) | Q(current_agency_id__in=agencies))
    return qs.filter(applicant=user)


def can_view(user, dossier: Dossier) -> bool:
    return visible_dossiers(user).filter(pk=dossier.pk).exists()


def require_role(user, agency_id: int, *roles: str) -> None:
    """Refuse unless ``user`` holds one of ``roles`` at the agency."""
    if user.is_superuser:
        return
    if not user.is_authenticated or not user.is_official:
        raise NotAllowed(_("Chỉ cán bộ, công chức được thực hiện thao tác này."))
    held = user.role_assignments.filter(agency_id=agency_id, role__in=roles).exists()
    if not held:
        names = ", ".join(str(Role(r).label) for r in roles)
        raise NotAllowed(
            _("Bạn không giữ vai trò %(roles)s tại đơn vị xử lý hồ sơ này.") % {"roles": names}
        )


def require_applicant(user, dossier: Dossier) -> None:
    if not user.is_authenticated or dossier.applicant_id != user.pk:
        raise NotAllowed(_("Chỉ người nộp hồ sơ được thực hiện thao tác này."))
