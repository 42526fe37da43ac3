"""State changes of the agency registry: the national unit list, merges and closures.

A merge never deletes anything (DOMAIN.md section 1): the closed agencies get
a ``valid_to`` date and a successor link, and their open work (dossiers still
being handled, role assignments, routing of process steps, competence for
procedures) moves to the successor, with an audit event for each move.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from digigov.audit.services import record
from digigov.core.errors import InvalidInput, InvalidTransition

from .models import AdministrativeUnit, Agency


# -- national administrative units ---------------------------------------------------
@dataclass
class UnitLoadResult:
    provinces: int = 0
    communes: int = 0
    created: int = 0
    updated: int = 0


def _package_units() -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """(code, name) of the 34 provinces and (code, name, province code) of the communes.

    The PyPI package vietnam-provinces ships the Decision 19/2025/QD-TTg list
    (the same list as /work/shared/data/vn_provinces_2025.csv). Province codes
    are two digits, commune codes five, as the General Statistics Office writes them.
    """
    from vietnam_provinces import Province, Ward

    provinces = [(f"{int(p.code):02d}", p.name) for p in Province.iter_all()]
    communes = [(f"{int(w.code):05d}", w.name, f"{int(w.province_code):02d}")
                for w in Ward.iter_all()]
    return provinces, communes


@transaction.atomic
def load_units() -> UnitLoadResult:
    """Create or update every province and commune; running it twice changes nothing."""
    provinces, communes = _package_units()
    result = UnitLoadResult(provinces=len(provinces), communes=len(communes))
    existing = {u.code: u for u in AdministrativeUnit.objects.all()}

    def upsert(rows: Iterable[tuple[str, str, AdministrativeUnit | None]], kind: str) -> None:
        new, changed = [], []
        for code, name, parent in rows:
            unit = existing.get(code)
            parent_id = parent.pk if parent else None
            if unit is None:
                new.append(AdministrativeUnit(code=code, name=name, kind=kind, parent_id=parent_id))
            elif (unit.name, unit.kind, unit.parent_id) != (name, kind, parent_id):
                unit.name, unit.kind, unit.parent_id = name, kind, parent_id
                changed.append(unit)
        AdministrativeUnit.objects.bulk_create(new, batch_size=500)
        AdministrativeUnit.objects.bulk_update(changed, ["name", "kind", "parent"], batch_size=500)
        result.created += len(new)
        result.updated += len(changed)

    upsert(((code, name, None) for code, name in provinces), AdministrativeUnit.Kind.PROVINCE)
    existing.update({u.code: u for u in AdministrativeUnit.objects.filter(
        kind=AdministrativeUnit.Kind.PROVINCE)})
    upsert(((code, name, existing[province]) for code, name, province in communes),
           AdministrativeUnit.Kind.COMMUNE)
    return result


# -- merges and closures -------------------------------------------------------------
@dataclass
class MergeResult:
    closed: list[Agency] = field(default_factory=list)
    successor: Agency | None = None
    dossiers_moved: int = 0
    roles_moved: int = 0
    roles_kept: int = 0
    steps_rerouted: int = 0
    procedures_taken_over: int = 0


def _check_merge(closed: list[Agency], into: Agency | None, on: dt.date) -> None:
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise InvalidInput(_("Ngày hiệu lực phải là một ngày."),
                           fields={"on": [_("Không hợp lệ.")]})
    if on > timezone.localdate():
        raise InvalidInput(
            _("Chỉ ghi nhận việc sáp nhập, giải thể từ ngày có hiệu lực; ngày %(on)s chưa đến.")
            % {"on": f"{on:%d/%m/%Y}"},
            fields={"on": [_("Ngày trong tương lai.")]},
        )
    if not closed:
        raise InvalidInput(_("Hãy chọn ít nhất một cơ quan bị sáp nhập."),
                           fields={"closed": [_("Bắt buộc.")]})
    last_day = on - dt.timedelta(days=1)
    for agency in closed:
        if into is not None and agency.pk == into.pk:
            raise InvalidInput(
                _("Cơ quan %(code)s không thể sáp nhập vào chính nó.") % {"code": agency.code},
                fields={"into": [_("Trùng với cơ quan bị sáp nhập.")]},
            )
        if agency.valid_to is not None and agency.valid_to < last_day:
            raise InvalidTransition(
                _("Cơ quan %(code)s đã hết hiệu lực từ %(day)s.")
                % {"code": agency.code, "day": f"{agency.valid_to:%d/%m/%Y}"}
            )
        if agency.valid_from > last_day:
            raise InvalidInput(
                _("Cơ quan %(code)s có hiệu lực từ %(day)s, không thể kết thúc trước ngày đó.")
                % {"code": agency.code, "day": f"{agency.valid_from:%d/%m/%Y}"},
                fields={"on": [_("Trước ngày bắt đầu hiệu lực của cơ quan.")]},
            )
    if into is None:
        return
    if into.valid_from > on or (into.valid_to is not None and into.valid_to < on):
        raise InvalidTransition(
            _("Cơ quan kế thừa %(code)s không có hiệu lực vào ngày %(on)s.")
            % {"code": into.code, "on": f"{on:%d/%m/%Y}"}
        )
    closed_ids = {a.pk for a in closed}
    if into.current_successor().pk in closed_ids:
        raise InvalidTransition(
            _("Cơ quan kế thừa %(code)s lại chuyển giao cho một cơ quan bị sáp nhập.")
            % {"code": into.code}
        )


def _move_open_work(closed: list[Agency], into: Agency, actor, result: MergeResult) -> None:
    # The merge is the one use case that reaches above the registry: it must
    # carry the work of the closed units along, so the imports stay local.
    from digigov.accounts.models import RoleAssignment
    from digigov.catalog.models import Procedure, ProcessStep
    from digigov.dossiers.models import OPEN_STATUSES, Dossier

    closed_ids = [a.pk for a in closed]
    codes = {a.pk: a.code for a in closed}
    dossiers = (
        Dossier.objects.select_for_update()
        .filter(status__in=OPEN_STATUSES)
        .filter(Q(agency_id__in=closed_ids) | Q(current_agency_id__in=closed_ids))
    )
    for dossier in dossiers:
        moved = {}
        if dossier.agency_id in codes:
            moved["agency"] = [codes[dossier.agency_id], into.code]
            dossier.agency = into
        if dossier.current_agency_id in codes:
            moved["current_agency"] = [codes[dossier.current_agency_id], into.code]
            dossier.current_agency = into
        dossier.save(update_fields=["agency", "current_agency", "updated_at"])
        # The open control-sheet row continues at the successor.
        dossier.step_records.filter(finished_at__isnull=True, agency_id__in=closed_ids).update(
            agency=into)
        record(actor=actor, action="move_to_successor", obj=dossier, from_state=dossier.status,
               to_state=dossier.status, **moved)
        result.dossiers_moved += 1

    assignments = RoleAssignment.objects.filter(agency_id__in=closed_ids).select_related("user")
    for assignment in assignments:
        if RoleAssignment.objects.filter(user_id=assignment.user_id, agency=into,
                                         role=assignment.role).exists():
            result.roles_kept += 1
            continue
        old_code = codes[assignment.agency_id]
        assignment.agency = into
        assignment.save(update_fields=["agency"])
        record(actor=actor, action="move_role_to_successor", obj=assignment,
               role=assignment.role, user=str(assignment.user.uuid), agency=[old_code, into.code])
        result.roles_moved += 1

    result.steps_rerouted = ProcessStep.objects.filter(agency_id__in=closed_ids).update(agency=into)
    for procedure in Procedure.objects.filter(competent_agencies__in=closed_ids).distinct():
        procedure.competent_agencies.add(into)
        result.procedures_taken_over += 1


def _close(agency: Agency, on: dt.date, successor: Agency | None, actor, reason: str) -> None:
    agency.valid_to = on - dt.timedelta(days=1)
    agency.successor = successor
    agency.save(update_fields=["valid_to", "successor"])
    record(actor=actor, action="close_agency", obj=agency, from_state="active",
           to_state="closed", valid_to=agency.valid_to.isoformat(),
           successor=successor.code if successor else "", reason=reason)


@transaction.atomic
def merge_agencies(closed: list[Agency], into: Agency, on: dt.date, actor,
                   reason: str = "") -> MergeResult:
    """Close ``closed`` on the day before ``on`` and hand all their open work to ``into``.

    Dossiers already finished stay with the agency that handled them; open
    ones (statuses 1, 2, 4, 5, 6) move, each with an audit event.
    """
    closed = [Agency.objects.select_for_update().get(pk=a.pk) for a in closed]
    into = Agency.objects.get(pk=into.pk)
    if len({a.pk for a in closed}) != len(closed):
        raise InvalidInput(_("Danh sách cơ quan bị sáp nhập có mục trùng lặp."),
                           fields={"closed": [_("Trùng lặp.")]})
    _check_merge(closed, into, on)
    result = MergeResult(closed=closed, successor=into)
    _move_open_work(closed, into, actor, result)
    for agency in closed:
        _close(agency, on, into, actor, reason)
    record(actor=actor, action="merge_agencies", obj=into, closed=[a.code for a in closed],
           on=on.isoformat(), dossiers_moved=result.dossiers_moved, reason=reason)
    return result


@transaction.atomic
def close_agency(agency: Agency, on: dt.date, actor, successor: Agency | None = None,
                 reason: str = "") -> MergeResult:
    """Close one agency. With a successor its open work moves there (a merge of one).

    Without a successor it may close only when it holds no open dossier, so
    that no applicant's dossier is left with a unit that no longer exists.
    """
    if successor is not None:
        return merge_agencies([agency], successor, on, actor, reason=reason)
    from digigov.dossiers.models import OPEN_STATUSES, Dossier

    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    _check_merge([agency], None, on)
    open_count = Dossier.objects.filter(status__in=OPEN_STATUSES).filter(
        Q(agency=agency) | Q(current_agency=agency)).count()
    if open_count:
        raise InvalidTransition(
            _("Cơ quan %(code)s còn %(n)d hồ sơ đang giải quyết: hãy chỉ định cơ quan kế thừa.")
            % {"code": agency.code, "n": open_count}
        )
    _close(agency, on, None, actor, reason)
    return MergeResult(closed=[agency])
