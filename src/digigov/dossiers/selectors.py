"""Read queries over dossiers, shared by the back-office pages and the API.

Nothing here changes state. Every query starts from
``permissions.visible_dossiers`` so that an official never reads a dossier
outside the units where they hold a role.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from digigov.accounts.models import Role, User
from digigov.audit.models import AuditEvent
from digigov.catalog.models import FormField, Procedure, ProcedureVersion, ProcessStep
from digigov.core.errors import NotFound
from digigov.core.text import fold
from digigov.orgs.models import Agency
from digigov.worktime.calendar import WorkCalendar

from .models import (
    OPEN_STATUSES,
    Dossier,
    DossierFile,
    Status,
    StepRecord,
)
from .permissions import visible_dossiers


# -- work queue ------------------------------------------------------------------
def work_queue(
    user,
    *,
    status: int | None = None,
    procedure: Procedure | None = None,
    assigned_to_me: bool = False,
    q: str = "",
) -> QuerySet[Dossier]:
    """Open dossiers ``user`` may act on, most urgent first (no deadline last).

    ``q`` matches part of the dossier code. Searching by name or ID number is
    left out on purpose: the filter travels in the URL, and personal data must not.
    """
    qs = visible_dossiers(user).filter(status__in=OPEN_STATUSES)
    if q.strip():
        qs = qs.filter(code__icontains=q.strip())
    if status is not None:
        qs = qs.filter(status=status)
    if procedure is not None:
        qs = qs.filter(procedure=procedure)
    if assigned_to_me:
        qs = qs.filter(assignee=user)
    due = Coalesce("apology_due_at", "due_at")
    return qs.select_related("procedure", "agency", "current_agency", "assignee").order_by(
        due.asc(nulls_last=True), "submitted_at", "pk"
    )


def queue_status_counts(user) -> dict[int, int]:
    """How many open dossiers ``user`` may act on, per status."""
    rows = (
        visible_dossiers(user).filter(status__in=OPEN_STATUSES)
        .values("status").annotate(n=Count("pk")).order_by()
    )
    return {row["status"]: row["n"] for row in rows}


def queue_procedures(user) -> QuerySet[Procedure]:
    """Procedures that have at least one open dossier visible to ``user``."""
    open_ids = visible_dossiers(user).filter(status__in=OPEN_STATUSES).values("procedure_id")
    return Procedure.objects.filter(pk__in=open_ids).order_by("name")


# -- deadline state ---------------------------------------------------------------
class DeadlineState:
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


def effective_deadline(dossier: Dossier, *, now: dt.datetime,
                       calendar: WorkCalendar) -> dt.datetime | None:
    """The instant the dossier is due, counting the applicant's pending supplement time."""
    due = dossier.effective_due_at
    if due is None:
        return None
    if dossier.clock_paused_at and dossier.clock_paused_at < now:
        # While the applicant supplies papers the agency's clock is stopped.
        due = calendar.extend(due, dossier.clock_paused_at, now)
    return due


def deadline_state(dossier: Dossier, *, now: dt.datetime | None = None,
                   calendar: WorkCalendar | None = None) -> str:
    """Red: past due. Amber: due within one working day. Green: otherwise."""
    now = now or timezone.now()
    calendar = calendar or WorkCalendar.load()
    due = effective_deadline(dossier, now=now, calendar=calendar)
    if due is None:
        return DeadlineState.GREEN
    if now > due:
        return DeadlineState.RED
    if calendar.working_seconds_between(now, due) <= calendar.seconds_per_day:
        return DeadlineState.AMBER
    return DeadlineState.GREEN


# -- one dossier ------------------------------------------------------------------
def get_visible_dossier(user, dossier_uuid: uuid_lib.UUID | str) -> Dossier:
    """The dossier with everything a detail page shows; ``NotFound`` outside the user's scope."""
    files = DossierFile.objects.select_related("component").order_by(
        "component__order", "uploaded_at", "pk")
    steps = StepRecord.objects.select_related("agency", "giver", "receiver", "handed_to", "step")
    try:
        return (
            visible_dossiers(user)
            .select_related(
                "procedure", "procedure_version", "agency", "agency__parent", "agency__area",
                "current_step", "current_agency", "assignee", "received_by", "applicant",
            )
            .prefetch_related(
                Prefetch("files", queryset=files),
                Prefetch("step_records", queryset=steps),
                "supplements__requested_by",
                "obligations__requested_by",
                "apologies__created_by",
                "procedure_version__components",
                "procedure_version__form_fields",
            )
            .get(uuid=dossier_uuid)
        )
    except (Dossier.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound(_("Không tìm thấy hồ sơ.")) from exc


def get_visible_file(user, dossier_uuid, file_uuid) -> DossierFile:
    """A component file of a dossier the user may see; ``NotFound`` otherwise."""
    try:
        return DossierFile.objects.select_related("dossier").get(
            uuid=file_uuid, dossier__uuid=dossier_uuid,
            dossier__in=visible_dossiers(user),
        )
    except (DossierFile.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound(_("Không tìm thấy tệp.")) from exc


def audit_timeline(dossier: Dossier) -> QuerySet[AuditEvent]:
    """Every recorded state change of the dossier, oldest first."""
    return AuditEvent.objects.filter(
        object_type=Dossier._meta.label_lower, object_id=dossier.code
    ).select_related("actor").order_by("at", "pk")


def last_actor(dossier: Dossier, action: str):
    """Who last performed ``action`` on the dossier (the signer of its printed form)."""
    event = audit_timeline(dossier).filter(action=action).order_by("-at", "-pk").first()
    return event.actor if event else None


def _display_value(field: FormField, value: str) -> str:
    if field.type == FormField.Type.DATE:
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return value


def form_data_rows(dossier: Dossier) -> list[tuple[str, str]]:
    """(label, value) pairs of the declaration, in the procedure form's order."""
    fields = {f.key: f for f in dossier.procedure_version.form_fields.all()}
    rows = [(f.label, _display_value(f, dossier.form_data[key]))
            for key, f in fields.items() if key in dossier.form_data]
    rows += [(key, value) for key, value in dossier.form_data.items() if key not in fields]
    return rows


# -- the internal process ------------------------------------------------------------
def next_step(dossier: Dossier) -> ProcessStep | None:
    current_order = dossier.current_step.order if dossier.current_step else 0
    return (dossier.procedure_version.steps.filter(order__gt=current_order)
            .select_related("agency").order_by("order").first())


def handover_candidates(dossier: Dossier) -> QuerySet[User]:
    """Officials holding the next step's role (or leader) at the next step's unit."""
    step = next_step(dossier)
    if step is None:
        return User.objects.none()
    agency_id = step.agency_id or dossier.agency_id
    return (
        User.objects.filter(is_active=True, kind=User.Kind.OFFICIAL,
                            role_assignments__agency_id=agency_id,
                            role_assignments__role__in=(step.role, Role.LEADER))
        .distinct().order_by("full_name", "pk")
    )


# -- what the user may do now ------------------------------------------------------------
def _holds(user, agency_id: int | None, *roles: str) -> bool:
    if user.is_superuser:
        return True
    if agency_id is None or not user.is_official:
        return False
    return user.role_assignments.filter(agency_id=agency_id, role__in=roles).exists()


def _is_step_actor(user, dossier: Dossier) -> bool:
    """Mirrors the services' rule: the current step's role, a leader, or the assignee."""
    unit = dossier.current_agency_id or dossier.agency_id
    if dossier.assignee_id == user.pk and user.role_assignments.filter(agency_id=unit).exists():
        return True
    role = dossier.current_step.role if dossier.current_step else Role.COUNTER_OFFICER
    return _holds(user, unit, role, Role.LEADER)


def available_actions(user, dossier: Dossier, *, now: dt.datetime | None = None) -> list[str]:
    """The service actions ``user`` may take on ``dossier`` in its current status.

    This decides which forms a page offers; the services still check every rule
    when an action is submitted.
    """
    now = now or timezone.now()
    s = dossier.status
    counter = _holds(user, dossier.agency_id, Role.COUNTER_OFFICER)
    unit = dossier.current_agency_id or dossier.agency_id
    in_process = s in (Status.RECEIVED, Status.PROCESSING)
    actor = in_process or s == Status.FINANCIAL_OBLIGATION
    actor = actor and _is_step_actor(user, dossier)
    has_next = in_process and next_step(dossier) is not None
    actions = []
    if s == Status.NEW and counter:
        actions += ["receive", "refuse"]
    if dossier.supplement_count < 1 and (
        (s == Status.NEW and counter) or (in_process and actor)
    ):
        actions.append("request_supplement")
    if s == Status.SUPPLEMENT_REQUESTED and counter:
        actions.append("supply_supplement")
    if in_process and actor and has_next:
        actions.append("hand_over")
    if in_process and actor:
        actions.append("request_financial_obligation")
    if s == Status.FINANCIAL_OBLIGATION and actor:
        actions.append("fulfil_financial_obligation")
    if in_process and actor and not has_next:
        actions.append("complete")
    if (s in (Status.PROCESSED, Status.RETURNED) and _holds(user, dossier.agency_id, Role.LEADER)
            and not dossier.issued_documents.filter(kind="result").exists()):
        actions.append("issue_result")
    if s == Status.PROCESSED and counter:
        actions.append("return_result")
    if s in OPEN_STATUSES and counter:
        actions.append("digitise")
    if s in OPEN_STATUSES and counter:
        actions.append("withdraw")
    if s in (Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED,
             Status.FINANCIAL_OBLIGATION) and _holds(user, unit, Role.LEADER):
        actions.append("stop_processing")
    due = dossier.effective_due_at
    if (s in (Status.RECEIVED, Status.PROCESSING, Status.FINANCIAL_OBLIGATION)
            and due is not None and now <= due
            and _holds(user, unit, Role.COUNTER_OFFICER, Role.LEADER, Role.SPECIALIST)):
        actions.append("apologise")
    return actions


# -- printable forms ------------------------------------------------------------------
@dataclass(frozen=True)
class PrintableForm:
    number: str
    title: str


def printable_forms(dossier: Dossier) -> list[PrintableForm]:
    """Forms 01-06 that apply to the dossier as it stands."""
    forms = []
    if dossier.received_at is not None:
        forms.append(PrintableForm("01", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")))
    if dossier.supplements.exists():
        forms.append(PrintableForm("02", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")))
    if dossier.status == Status.NOT_RECEIVED:
        forms.append(PrintableForm("03", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ")))
    if dossier.apologies.exists():
        forms.append(PrintableForm("04", _("Phiếu xin lỗi và hẹn lại ngày trả kết quả")))
    if dossier.status == Status.STOPPED:
        forms.append(PrintableForm("05", _("Thông báo dừng xử lý hồ sơ")))
    if dossier.step_records.exists():
        forms.append(PrintableForm("06", _("Phiếu kiểm soát quá trình giải quyết hồ sơ")))
    return forms


def register_agencies(user) -> QuerySet[Agency]:
    """Units whose tracking register (form 07) the user may print."""
    if user.is_superuser:
        return Agency.objects.order_by("name")
    return Agency.objects.filter(pk__in=user.role_agency_ids()).order_by("name")


def tracking_register(
    user,
    agency: Agency,
    *,
    date_from: dt.date,
    date_to: dt.date,
    status: int | None = None,
    procedure: Procedure | None = None,
) -> QuerySet[Dossier]:
    """Form 07: dossiers submitted to ``agency`` between two dates (inclusive, Vietnam time)."""
    if not register_agencies(user).filter(pk=agency.pk).exists():
        return Dossier.objects.none()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=timezone.get_default_timezone())
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min,
                              tzinfo=timezone.get_default_timezone())
    qs = visible_dossiers(user).filter(agency=agency, submitted_at__gte=start,
                                       submitted_at__lt=end)
    if status is not None:
        qs = qs.filter(status=status)
    if procedure is not None:
        qs = qs.filter(procedure=procedure)
    return qs.select_related("procedure", "current_agency").order_by("submitted_at", "pk")


# -- counter reception ------------------------------------------------------------------
def counter_units(user) -> QuerySet[Agency]:
    """Active units where ``user`` is a counter officer."""
    return Agency.objects.active().filter(
        role_assignments__user=user, role_assignments__role=Role.COUNTER_OFFICER
    ).distinct().order_by("name")


def counter_procedures(agency: Agency, q: str = "") -> QuerySet[Procedure]:
    """Published procedures in force that ``agency`` may receive, matching every word of ``q``."""
    day = timezone.localdate()
    in_force = ProcedureVersion.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=day),
        procedure=OuterRef("pk"), effective_from__lte=day,
    )
    qs = Procedure.objects.filter(is_published=True, competent_agencies=agency).filter(
        Exists(in_force))
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    return qs.select_related("sector").order_by("name", "national_code")


def procedure_for_counter(user, agency_uuid, procedure_uuid) -> tuple[Agency, Procedure]:
    """The unit and procedure of a counter reception, if ``user`` may receive it there."""
    try:
        agency = counter_units(user).get(uuid=agency_uuid)
        procedure = counter_procedures(agency).get(uuid=procedure_uuid)
    except (Agency.DoesNotExist, Procedure.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound(_("Không tìm thấy thủ tục tại đơn vị của bạn.")) from exc
    return agency, procedure
