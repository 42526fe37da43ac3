"""What a report covers: one agency with all its sub-units, or the whole instance.

A scope covers its agency and every unit under it (parent links), rolled up:
a province's People's Committee covers its departments, centres and communes.
Closed agencies stay in the tree, so their past dossiers stay counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from digigov.core.errors import NotFound
from digigov.orgs.models import Agency


@dataclass(frozen=True)
class Scope:
    agency: Agency | None  # None = the whole instance

    @property
    def label(self) -> str:
        return self.agency.name if self.agency is not None else _("Toàn hệ thống")

    @property
    def code(self) -> str | None:
        return self.agency.code if self.agency is not None else None

    @property
    def is_instance(self) -> bool:
        return self.agency is None

    def agency_ids(self) -> set[int] | None:
        """The ids of the covered agencies; None for the whole instance."""
        if self.agency is None:
            return None
        return agency_tree(self.agency.pk)

    def __eq__(self, other) -> bool:
        return isinstance(other, Scope) and self.code == other.code

    def __hash__(self) -> int:
        return hash(self.code)


def agency_tree(root_id: int) -> set[int]:
    """``root_id`` and every agency under it, in one query per level of the tree."""
    ids, frontier = {root_id}, [root_id]
    while frontier:
        found = Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        frontier = [pk for pk in found if pk not in ids]
        ids.update(frontier)
    return ids


def root_of(agency_id: int, parents: dict[int, int | None] | None = None) -> int:
    """The top-level agency above ``agency_id`` (itself when it has no parent)."""
    if parents is None:
        parents = dict(Agency.objects.values_list("pk", "parent_id"))
    seen = set()
    current = agency_id
    while parents.get(current) is not None and current not in seen:
        seen.add(current)
        current = parents[current]
    return current


def instance() -> Scope:
    return Scope(None)


def scope_for(code: str | None) -> Scope:
    """The scope of the agency with organ code ``code``; None or "" = the whole instance."""
    if code is None or (isinstance(code, str) and not code.strip()):
        return Scope(None)
    agency = Agency.objects.filter(code=str(code).strip().upper()).first()
    if agency is None:
        raise NotFound(_("Không có cơ quan mang mã định danh %(code)s.") % {"code": code})
    return Scope(agency)


def children(scope: Scope) -> list[Scope]:
    """Direct sub-units; for the instance, the top-level units (provinces, ministries)."""
    if scope.agency is None:
        agencies = Agency.objects.filter(parent__isnull=True)
    else:
        agencies = Agency.objects.filter(parent=scope.agency)
    return [Scope(a) for a in agencies.order_by("code")]
