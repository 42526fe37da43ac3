"""Who may open the leaders' dashboard, and for which units.

A leader or an agency administrator sees the units where they hold that role
and every unit under them; an instance superuser sees the whole instance.
Outside those units a scope does not exist for them (404, like a dossier of
another unit). The public scoreboard needs none of this: it shows aggregate
figures only.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from digigov.accounts.models import Role
from digigov.core.errors import NotAllowed, NotFound
from digigov.orgs.models import Agency

from .scopes import Scope

DASHBOARD_ROLES = (Role.LEADER, Role.AGENCY_ADMIN)
# A select of units stays usable up to this many options; deeper units are
# reached from the ranking of their parent.
MAX_CHOICES = 400


def dashboard_roots(user) -> list[Agency] | None:
    """The units whose dashboards the user may open; ``None`` means the whole instance."""
    if user is None or not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    if not user.is_official:
        return []
    ids = user.role_agency_ids(*DASHBOARD_ROLES)
    return list(Agency.objects.filter(pk__in=ids).order_by("code"))


def may_use_dashboard(user) -> bool:
    return dashboard_roots(user) != []


def _within(agency: Agency, root_ids: set[int]) -> bool:
    seen: set[int] = set()
    node: Agency | None = agency
    while node is not None and node.pk not in seen:
        if node.pk in root_ids:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


def check_scope(user, scope: Scope) -> None:
    """Refuse (403 without a dashboard role, 404 outside the user's units)."""
    roots = dashboard_roots(user)
    if roots is None:
        return
    if not roots:
        raise NotAllowed(_("Bảng điều hành dành cho lãnh đạo và quản trị cơ quan."))
    if scope.agency is None or not _within(scope.agency, {a.pk for a in roots}):
        raise NotFound(_("Không tìm thấy đơn vị này trong phạm vi của bạn."))


def default_scope_code(user) -> str | None:
    """The scope a dashboard opens on: the instance for a superuser, else the first unit."""
    roots = dashboard_roots(user)
    if roots is None:
        return None
    if not roots:
        raise NotAllowed(_("Bảng điều hành dành cho lãnh đạo và quản trị cơ quan."))
    # The highest unit first: a provincial leader who also sits at a commune
    # opens on the province.
    ids = {a.pk for a in roots}
    top = [a for a in roots if not (a.parent_id and a.parent and _within(a.parent, ids))]
    return (top or roots)[0].code


def unit_choices(user, current: Scope) -> list[tuple[str, str]]:
    """Options for the unit select: the user's units and those under them.

    Past ``MAX_CHOICES`` units, only the user's units, the current scope and
    its direct sub-units are offered; any unit within reach is still accepted.
    """
    roots = dashboard_roots(user)
    choices: list[tuple[str, str]] = []
    if roots is None:
        choices.append(("", str(_("Toàn hệ thống"))))
        root_ids = set(Agency.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    else:
        root_ids = {a.pk for a in roots}
    ids = set(root_ids)
    frontier = set(root_ids)
    while frontier and len(ids) <= MAX_CHOICES:
        frontier = set(Agency.objects.filter(parent_id__in=frontier)
                       .values_list("pk", flat=True)) - ids
        ids |= frontier
    if len(ids) > MAX_CHOICES:
        ids = set(root_ids)
        if current.agency is not None:
            ids.add(current.agency.pk)
            ids |= set(current.agency.children.values_list("pk", flat=True))
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=ids).only("pk", "code", "name",
                                                                         "parent_id")}
    children: dict[int | None, list[Agency]] = {}
    for agency in agencies.values():
        parent = agency.parent_id if agency.parent_id in agencies else None
        children.setdefault(parent, []).append(agency)

    def walk(parent: int | None, depth: int) -> None:
        for agency in sorted(children.get(parent, []), key=lambda a: a.code):
            choices.append((agency.code, "\u2003" * depth + agency.name))
            walk(agency.pk, depth + 1)

    walk(None, 0)
    return choices
