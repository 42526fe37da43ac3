"""Read queries of the GovStack adapter: services, applications, officials' work items."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from digigov.accounts.models import Role
from digigov.catalog.models import Procedure, ProcedureVersion
from digigov.catalog.selectors import search_procedures
from digigov.dossiers.models import Dossier, Status, StepRecord
from digigov.dossiers.permissions import visible_dossiers

# Dossiers waiting for an official's action. A dossier waiting for the
# applicant (supplement, payment) or closed is nobody's task here.
TASK_STATUSES = (Status.NEW, Status.RECEIVED, Status.PROCESSING)


def services(name: str | None = None) -> QuerySet[Procedure]:
    """Published procedures in force, with that version and the competent agencies prefetched."""
    day = timezone.localdate()
    in_force = (ProcedureVersion.objects
                .filter(effective_from__lte=day)
                .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
                .order_by("-effective_from"))
    return search_procedures(q=name).prefetch_related(
        Prefetch("versions", queryset=in_force, to_attr="versions_in_force"),
        "competent_agencies",
    )


def version_in_force(procedure: Procedure) -> ProcedureVersion | None:
    prefetched = getattr(procedure, "versions_in_force", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return procedure.version_on()


def eform_versions(procedure: Procedure) -> QuerySet[ProcedureVersion]:
    """The versions already in force or past, newest first: each is one e-form."""
    return (procedure.versions.filter(effective_from__lte=timezone.localdate())
            .select_related("procedure").order_by("-effective_from"))


# -- applications --------------------------------------------------------------
def with_tasks(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Annotate what the current work item needs: its ordinal, name, start and due time."""
    open_record = (StepRecord.objects.filter(dossier=OuterRef("pk"), finished_at__isnull=True)
                   .order_by("-started_at", "-pk"))
    return qs.select_related(
        "procedure", "procedure_version", "applicant", "assignee", "current_step", "agency",
        "current_agency",
    ).annotate(
        task_ordinal=Count("step_records", distinct=True),
        task_name=Subquery(open_record.values("name")[:1]),
        task_started_at=Subquery(open_record.values("started_at")[:1]),
        task_due_at=Subquery(open_record.values("due_at")[:1]),
    )


def applications(user, *, procedure_filter: dict | None = None, applicant_uuid=None,
                 ordering: tuple[str, ...] = ("-submitted_at", "-pk")) -> QuerySet[Dossier]:
    qs = visible_dossiers(user)
    if procedure_filter:
        qs = qs.filter(**{f"procedure__{k}": v for k, v in procedure_filter.items()})
    if applicant_uuid:
        qs = qs.filter(applicant__uuid=applicant_uuid)
    return with_tasks(qs).order_by(*ordering)


def application(user, file_uuid) -> Dossier | None:
    return with_tasks(visible_dossiers(user)).filter(uuid=file_uuid).first()


# -- tasks --------------------------------------------------------------
def _work_items_for(user) -> Q:
    """The dossiers whose current step is this official's to do.

    Reception belongs to the receiving unit's counter officers. A step handed
    to a named official is theirs; an unassigned step belongs to everyone who
    holds the step's role at the step's unit (the counter officer's role when
    the procedure has no internal process).
    """
    held: dict[str, set[int]] = {}
    for agency_id, role in user.role_assignments.values_list("agency_id", "role"):
        held.setdefault(role, set()).add(agency_id)
    every_agency = set().union(*held.values()) if held else set()
    counter = held.get(Role.COUNTER_OFFICER, set())
    in_process = Q(status__in=(Status.RECEIVED, Status.PROCESSING))
    mine = Q(status=Status.NEW, agency_id__in=counter)
    mine |= in_process & Q(assignee=user, current_agency_id__in=every_agency)
    unassigned = in_process & Q(assignee__isnull=True)
    mine |= unassigned & Q(current_step__isnull=True, current_agency_id__in=counter)
    for role, agencies in held.items():
        mine |= unassigned & Q(current_step__role=role, current_agency_id__in=agencies)
    return mine


def tasks(user, *, dossier_uuid=None, assignee_uuid=None,
          ordering: tuple[str, ...] = ("task_created", "pk")) -> QuerySet[Dossier]:
    """Open work items of the signed-in official, within the dossiers they may see."""
    qs = visible_dossiers(user).filter(status__in=TASK_STATUSES)
    if not user.is_superuser:
        if not getattr(user, "is_official", False):
            return qs.none()
        qs = qs.filter(_work_items_for(user))
    if dossier_uuid:
        qs = qs.filter(uuid=dossier_uuid)
    if assignee_uuid:
        qs = qs.filter(assignee__uuid=assignee_uuid)
    return with_tasks(qs).annotate(
        task_created=Coalesce("task_started_at", "submitted_at")
    ).order_by(*ordering)


def task(user, dossier_uuid, ordinal: int) -> Dossier | None:
    """A current work item of a dossier the user may see; None once it is done."""
    dossier = (with_tasks(visible_dossiers(user))
               .filter(uuid=dossier_uuid, status__in=TASK_STATUSES).first())
    if dossier is None or dossier.task_ordinal != ordinal:
        return None
    return dossier


@dataclass(frozen=True)
class TaskView:
    """The current work item of a dossier, as the API shows it."""

    ordinal: int
    name: str
    role: str
    created: dt.datetime
    due: dt.datetime | None


def current_task(dossier: Dossier, reception_name: str) -> TaskView | None:
    if dossier.status not in TASK_STATUSES:
        return None
    if dossier.status == Status.NEW:
        return TaskView(dossier.task_ordinal, reception_name, Role.COUNTER_OFFICER,
                        dossier.submitted_at, None)
    role = dossier.current_step.role if dossier.current_step else Role.COUNTER_OFFICER
    return TaskView(dossier.task_ordinal, dossier.task_name or reception_name, role,
                    dossier.task_started_at or dossier.received_at or dossier.submitted_at,
                    dossier.task_due_at)
