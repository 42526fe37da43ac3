"""Every state change of a dossier: one transactional function per use case.

Each function checks the actor's role and the rules, changes the dossier,
records an append-only audit event and notifies the applicant. A refused
request raises a ``DomainError`` and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digigov.accounts.models import Role, validate_personal_id
from digigov.audit.services import record
from digigov.catalog.models import Procedure, ProcessStep, ServiceLevel
from digigov.core.errors import InvalidInput, InvalidTransition, NotAllowed
from digigov.core.inserts import insert
from digigov.orgs.models import Agency
from digigov.payments.fees import compute_fee
from digigov.store import services as store
from digigov.store.models import PaperUse, StoredPaper
from digigov.worktime.calendar import WorkCalendar

from . import notifications
from .models import (
    Apology,
    Channel,
    Dossier,
    DossierFile,
    DossierSequence,
    FinancialObligation,
    Rating,
    Status,
    StepRecord,
    SupplementRequest,
)
from .permissions import require_applicant, require_role
from .timeliness import judge_dossier, judge_step
from .uploads import inspect_upload

# Recorded on the control sheet, which is an official record: always in
# Vietnamese, whatever language the acting official's pages are in.
RECEPTION_STEP_NAME = "Tiếp nhận hồ sơ"
WITHDRAWN_NOTE = "Rút hồ sơ"
STOPPED_NOTE = "Dừng xử lý"

MAX_AMOUNT = 10**15  # VND; far above any fee, far below the column's limit


# -- helpers ------------------------------------------------------------------
def _lock(dossier: Dossier) -> Dossier:
    """Re-read the dossier under a row lock, so that two officials cannot race."""
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


def _require_status(dossier: Dossier, action: str, *allowed: int) -> None:
    if dossier.status not in allowed:
        raise InvalidTransition(
            _("Không thể %(action)s: hồ sơ %(code)s đang ở trạng thái “%(status)s”.")
            % {"action": action, "code": dossier.code, "status": dossier.get_status_display()}
        )


def _transition(dossier: Dossier, actor, action: str, to_status: int, **data) -> None:
    from_status = dossier.status
    dossier.status = to_status
    dossier.save()
    record(actor=actor, action=action, obj=dossier, from_state=from_status,
           to_state=to_status, **data)
    notifications.notify_applicant(dossier, action)


def _increment_sequence(agency_id: int, day: dt.date) -> int | None:
    """Add one to the day's counter and return it, in one statement (None: no row yet)."""
    table = DossierSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" SET "last" = "last" + 1 '  # noqa: S608 - table name is ours
            'WHERE "agency_id" = %s AND "day" = %s RETURNING "last"',
            [agency_id, connection.ops.adapt_datefield_value(day)],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def next_dossier_code(agency: Agency, when: dt.datetime) -> str:
    """``<organ code>-YYMMDD-XXXX``: XXXX is the day's sequence at the receiving unit.

    The counter row is incremented with a single UPDATE inside the caller's
    transaction, which PostgreSQL serialises by row lock; the first dossier of
    a day creates the row, and a racing creator falls back to the update.
    """
    day = timezone.localdate(when)
    last = _increment_sequence(agency.pk, day)
    if last is None:
        try:
            with transaction.atomic():
                DossierSequence.objects.create(agency=agency, day=day, last=1)
            last = 1
        except IntegrityError:
            last = _increment_sequence(agency.pk, day)
    return f"{agency.code}-{day:%y%m%d}-{last:04d}"


def _store_new(dossier: Dossier, checked: list[tuple], *, by,
               now: dt.datetime) -> list[DossierFile]:
    """Fee, files, number, row: the order keeps refusals and the counter's lock cheap.

    The fee comes first: a fee table can refuse the declaration (a bad
    quantity), and a refusal must neither take a number from the day's counter
    nor leave files behind. The files are written before numbering, because the
    counter row stays locked from numbering to commit. Returns the file rows.
    """
    dossier.fee_amount = compute_fee(dossier)
    uploads = _write_files(dossier, checked, by=by)
    dossier.code = next_dossier_code(dossier.agency, now)
    insert(dossier)
    return _store_files(uploads)


def _validate_form(version, form_data: Mapping) -> dict:
    cleaned, errors = {}, {}
    for field in version.form_fields.all():
        value = form_data.get(field.key)
        value = value.strip() if isinstance(value, str) else value
        if value in (None, ""):
            if field.required:
                errors[field.key] = [_("“%(label)s” là bắt buộc.") % {"label": field.label}]
            continue
        if field.type == field.Type.DATE:
            try:
                value = dt.date.fromisoformat(str(value)).isoformat()
            except ValueError:
                errors[field.key] = [_("Ngày không hợp lệ (định dạng YYYY-MM-DD).")]
                continue
        elif field.type == field.Type.NUMBER:
            try:
                value = str(Decimal(str(value)))
            except ArithmeticError:
                errors[field.key] = [_("Phải là một số.")]
                continue
        elif field.type == field.Type.CHOICE and field.choices and value not in field.choices:
            errors[field.key] = [_("Lựa chọn không hợp lệ.")]
            continue
        cleaned[field.key] = str(value)
    if errors:
        raise InvalidInput(_("Tờ khai chưa hợp lệ."), fields=errors)
    return cleaned


def _check_files(version, files: Mapping, *, require_all: bool,
                 reused: Iterable[str] = ()) -> list[tuple]:
    """Validate one file per component; return (component, upload, facts) triples.

    Components in ``reused`` are supplied from the applicant's data store and
    count as present.
    """
    components = {str(c.pk): c for c in version.components.all()}
    checked, errors = [], {}
    for key, upload in files.items():
        component = components.get(str(key))
        if component is None:
            errors[f"component_{key}"] = [_("Thành phần hồ sơ không thuộc thủ tục này.")]
            continue
        try:
            checked.append((component, upload, inspect_upload(upload, field=f"component_{key}")))
        except InvalidInput as exc:
            errors.update(exc.fields)
    if require_all:
        supplied = set(files) | {str(key) for key in reused}
        for key, component in components.items():
            if component.required and key not in supplied:
                errors[f"component_{key}"] = [
                    _("Thiếu thành phần bắt buộc: %(name)s.") % {"name": component.name}
                ]
    if errors:
        raise InvalidInput(_("Thành phần hồ sơ chưa hợp lệ."), fields=errors)
    return checked


def _write_files(dossier: Dossier, checked: list[tuple], *, by,
                 supplement: bool = False) -> list[DossierFile]:
    """The rows for the checked uploads, their content already written to storage."""
    uploader = by if getattr(by, "pk", None) else None
    rows = []
    for component, upload, facts in checked:
        row = DossierFile(dossier=dossier, component=component, original_name=upload.name[:255],
                          uploaded_by=uploader, is_supplement=supplement, **facts)
        row.file.save(upload.name, upload, save=False)
        rows.append(row)
    return rows


def _store_files(rows: list[DossierFile]) -> list[DossierFile]:
    """One INSERT for all the rows of ``_write_files``."""
    return insert(*rows)


def _link_reused(dossier: Dossier, reused: list, *, by, how: str,
                 at: dt.datetime) -> list[DossierFile]:
    """Link papers from the applicant's data store: same stored file, no copy; log each use."""
    uploader = by if getattr(by, "pk", None) else None
    rows = DossierFile.objects.bulk_create([
        DossierFile(dossier=dossier, component=r.component, file=r.paper.file.name,
                    original_name=r.paper.original_name, content_type=r.paper.content_type,
                    size=r.paper.size, sha256=r.paper.sha256, reused_from=r.paper,
                    is_reused=True, uploaded_by=uploader)
        for r in reused
    ])
    store.record_uses(dossier, reused, how=how, at=at)
    return rows


def _hold_files(dossier: Dossier, rows: list[DossierFile]) -> None:
    """``dossier.new_files``: the rows just stored, in the files' order, so that the
    answer to a submission need not read them back."""
    dossier.new_files = sorted(
        rows, key=lambda f: (f.component.order if f.component else 0, f.uploaded_at))


def _reused_data(reused: list) -> dict:
    return {"reused": [str(r.paper.uuid) for r in reused]} if reused else {}


def _check_applicant_contact(applicant: Mapping) -> dict:
    """Field errors for the optional contact data typed at the counter."""
    errors = {}
    for key, field in (("phone", "applicant_phone"), ("email", "applicant_email"),
                       ("address", "applicant_address")):
        value = (applicant.get(key) or "").strip()
        if len(value) > Dossier._meta.get_field(field).max_length:
            errors[field] = [_("Quá dài.")]
    email = (applicant.get("email") or "").strip()
    if email and "applicant_email" not in errors:
        try:
            validate_email(email)
        except ValidationError:
            errors["applicant_email"] = [_("Địa chỉ thư điện tử không hợp lệ.")]
    language = applicant.get("language") or "vi"
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Ngôn ngữ không được hỗ trợ.")]
    return errors


def _choose_agency(procedure: Procedure, agency: Agency | None) -> Agency:
    competent = procedure.competent_agency_ids()
    if agency is None:
        if len(competent) != 1:
            raise InvalidInput(_("Hãy chọn cơ quan tiếp nhận hồ sơ."),
                               fields={"agency": [_("Bắt buộc.")]})
        return Agency.objects.get(pk=competent.pop())
    if agency.pk not in competent:
        raise InvalidInput(
            _("%(agency)s không có thẩm quyền tiếp nhận thủ tục này.") % {"agency": agency.name},
            fields={"agency": [_("Không có thẩm quyền.")]},
        )
    return agency


def _first_step(version) -> ProcessStep | None:
    return version.steps.order_by("order").first()


def _open_step(dossier: Dossier, step: ProcessStep | None, *, giver, receiver, at) -> StepRecord:
    cal = WorkCalendar.load()
    agency = (step.agency if step and step.agency_id else None) or dossier.agency
    allotted = step.allotted_hours if step else Decimal(0)
    record_ = StepRecord.objects.create(
        dossier=dossier, step=step, name=step.name if step else RECEPTION_STEP_NAME,
        agency=agency, giver=giver, receiver=receiver, started_at=at,
        due_at=cal.add_working_seconds(at, float(allotted) * 3600), allotted_hours=allotted,
    )
    dossier.current_step = step
    dossier.current_agency = agency
    dossier.assignee = receiver
    return record_


def _current_record(dossier: Dossier) -> StepRecord | None:
    return dossier.step_records.filter(finished_at__isnull=True).order_by("-started_at").first()


def _close_step(dossier: Dossier, *, at, handed_to=None, note: str = "") -> None:
    current = _current_record(dossier)
    if current is None:
        return
    current.finished_at = at
    current.handed_to = handed_to
    current.note = note
    current.timeliness = judge_step(current)
    current.save()


def _require_step_actor(user, dossier: Dossier) -> None:
    """The current step's role at the current unit, or the official it was assigned to."""
    if dossier.assignee_id == user.pk and user.role_assignments.filter(
        agency_id=dossier.current_agency_id
    ).exists():
        return
    role = dossier.current_step.role if dossier.current_step else Role.COUNTER_OFFICER
    require_role(user, dossier.current_agency_id or dossier.agency_id, role, Role.LEADER)


# -- submission -----------------------------------------------------------------
@transaction.atomic
def submit_online(*, applicant, procedure: Procedure, form_data: Mapping, files: Mapping,
                  agency: Agency | None = None, reuse: Mapping[str, StoredPaper] | None = None,
                  now: dt.datetime | None = None) -> Dossier:
    """A signed-in citizen or business submits a dossier online (channel 2).

    ``reuse`` maps component ids to papers of the applicant's data store,
    linked instead of uploaded (once-only). The dossier returned carries its
    files as ``new_files``.
    """
    now = now or timezone.now()
    if not applicant.is_authenticated or applicant.is_official:
        raise NotAllowed(_("Hãy đăng nhập bằng tài khoản công dân hoặc doanh nghiệp để nộp hồ sơ."))
    if not procedure.is_published:
        raise InvalidInput(_("Thủ tục này chưa được công bố."))
    version = procedure.version_on(now)
    if version is None:
        raise InvalidInput(_("Thủ tục này chưa có phiên bản đang có hiệu lực."))
    if version.service_level == ServiceLevel.NONE:
        raise InvalidInput(
            _("Thủ tục này chưa được cung cấp trực tuyến; hãy nộp tại bộ phận một cửa.")
        )
    id_number = applicant.personal_id or applicant.tax_code
    if not id_number:
        raise InvalidInput(
            _("Hãy bổ sung số định danh cá nhân trong hồ sơ tài khoản trước khi nộp."),
            fields={"personal_id": [_("Bắt buộc.")]},
        )
    agency = _choose_agency(procedure, agency)
    cleaned = _validate_form(version, form_data)
    reused = store.check_reuse(owner=applicant, version=version, reuse=reuse or {},
                               uploaded=files, on=timezone.localdate(now))
    checked = _check_files(version, files, require_all=True,
                           reused=[str(r.component.pk) for r in reused])
    dossier = Dossier(
        procedure=procedure, procedure_version=version,
        agency=agency, channel=Channel.ONLINE, status=Status.NEW, applicant=applicant,
        applicant_name=applicant.full_name, applicant_id_number=id_number,
        applicant_phone=applicant.phone or "", applicant_email=applicant.email or "",
        applicant_address=applicant.address, language=applicant.language, form_data=cleaned,
        submitted_at=now,
    )
    files = _store_new(dossier, checked, by=applicant, now=now)
    files += _link_reused(dossier, reused, by=applicant, how=PaperUse.How.ONLINE, at=now)
    _hold_files(dossier, files)
    record(actor=applicant, action="submit", obj=dossier, to_state=Status.NEW,
           channel=Channel.ONLINE, fee=dossier.fee_amount, **_reused_data(reused))
    notifications.notify_applicant(dossier, "submit")
    return dossier


@transaction.atomic
def submit_at_counter(*, officer, procedure: Procedure, agency: Agency, applicant: Mapping,
                      form_data: Mapping, files: Mapping, channel: int = Channel.COUNTER,
                      receive_now: bool = True, reuse: Mapping[str, StoredPaper] | None = None,
                      now: dt.datetime | None = None) -> Dossier:
    """An officer registers a dossier brought to the counter or by post, then receives it.

    ``reuse`` links papers of the applicant's data store (the account given as
    ``applicant["user"]``, else the holder of the declared ID number).
    """
    now = now or timezone.now()
    require_role(officer, agency.pk, Role.COUNTER_OFFICER)
    if channel not in (Channel.COUNTER, Channel.POSTAL):
        raise InvalidInput(
            _("Hồ sơ nộp tại bộ phận một cửa chỉ qua kênh trực tiếp hoặc bưu chính."),
            fields={"channel": [_("Không hợp lệ.")]},
        )
    version = procedure.version_on(now)
    if version is None or not procedure.is_published:
        raise InvalidInput(_("Thủ tục này không có phiên bản đang có hiệu lực."))
    agency = _choose_agency(procedure, agency)
    errors = {}
    name = (applicant.get("name") or "").strip()
    id_number = (applicant.get("id_number") or "").strip()
    if not name:
        errors["applicant_name"] = [_("Bắt buộc.")]
    elif len(name) > Dossier._meta.get_field("applicant_name").max_length:
        errors["applicant_name"] = [_("Quá dài.")]
    if not id_number:
        errors["applicant_id_number"] = [_("Bắt buộc.")]
    elif len(id_number) == 12:
        try:
            validate_personal_id(id_number)
        except Exception:  # noqa: BLE001 - re-raised as a field message
            errors["applicant_id_number"] = [_("Số định danh cá nhân phải gồm 12 chữ số.")]
    elif not id_number.replace("-", "").isdigit():
        errors["applicant_id_number"] = [_("Chỉ gồm chữ số.")]
    elif len(id_number) > Dossier._meta.get_field("applicant_id_number").max_length:
        errors["applicant_id_number"] = [_("Quá dài.")]
    errors.update(_check_applicant_contact(applicant))
    if errors:
        raise InvalidInput(_("Thông tin người nộp chưa hợp lệ."), fields=errors)
    cleaned = _validate_form(version, form_data)
    owner = applicant.get("user") or (store.owner_by_id_number(id_number) if reuse else None)
    reused = store.check_reuse(owner=owner, version=version, reuse=reuse or {},
                               uploaded=files, on=timezone.localdate(now))
    checked = _check_files(version, files, require_all=receive_now,
                           reused=[str(r.component.pk) for r in reused])
    dossier = Dossier(
        procedure=procedure, procedure_version=version,
        agency=agency, channel=channel, status=Status.NEW, applicant=applicant.get("user"),
        applicant_name=name, applicant_id_number=id_number,
        applicant_phone=(applicant.get("phone") or "").strip(),
        applicant_email=(applicant.get("email") or "").strip(),
        applicant_address=(applicant.get("address") or "").strip(),
        language=applicant.get("language") or "vi", form_data=cleaned, submitted_at=now,
    )
    _store_new(dossier, checked, by=officer, now=now)
    _link_reused(dossier, reused, by=officer, how=PaperUse.How.COUNTER, at=now)
    record(actor=officer, action="submit", obj=dossier, to_state=Status.NEW, channel=channel,
           fee=dossier.fee_amount,
           **_reused_data(reused))
    if receive_now:
        return receive(officer=officer, dossier=dossier, now=now)
    return dossier


# -- reception ----------------------------------------------------------------------
@transaction.atomic
def receive(*, officer, dossier: Dossier, now: dt.datetime | None = None) -> Dossier:
    """Accept a complete dossier: appointment date from the calendar, first step opened."""
    now = now or timezone.now()
    dossier = _lock(dossier)
    require_role(officer, dossier.agency_id, Role.COUNTER_OFFICER)
    _require_status(dossier, _("tiếp nhận"), Status.NEW)
    missing = [
        c.name for c in dossier.procedure_version.components.filter(required=True)
        if not dossier.files.filter(component=c).exists()
    ]
    if missing:
        raise InvalidTransition(
            _("Hồ sơ chưa đủ thành phần bắt buộc: %(names)s. Hãy yêu cầu bổ sung.")
            % {"names": "; ".join(missing)}
        )
    version = dossier.procedure_version
    dossier.received_at = now
    dossier.received_by = officer
    dossier.due_at = WorkCalendar.load().due(
        now, version.time_limit_amount, version.time_limit_unit, version.cutoff_time
    )
    _open_step(dossier, _first_step(version), giver=None, receiver=officer, at=now)
    _transition(dossier, officer, "receive", Status.RECEIVED, due_at=dossier.due_at.isoformat())
    return dossier


@transaction.atomic
def refuse(*, officer, dossier: Dossier, reason: str, now: dt.datetime | None = None) -> Dossier:
    """Refuse a dossier outside the unit's competence or the procedure's scope (form 03)."""
    now = now or timezone.now()
    dossier = _lock(dossier)
    require_role(officer, dossier.agency_id, Role.COUNTER_OFFICER)
    _require_status(dossier, _("từ chối tiếp nhận"), Status.NEW)
    if not (reason or "").strip():
        raise InvalidInput(_("Hãy nêu lý do từ chối."), fields={"reason": [_("Bắt buộc.")]})
    dossier.closing_reason = reason.strip()
    dossier.closed_at = now
    _transition(dossier, officer, "refuse", Status.NOT_RECEIVED, reason=reason.strip())
    return dossier


# -- supplements ---------------------------------------------------------------------
def _reused_components(dossier: Dossier) -> dict[int, str]:
    """``{component pk: name}`` of the components supplied from the data store."""
    return dict(dossier.files.filter(is_reused=True, component__isnull=False)
                .values_list("component_id", "component__name"))


def _supplement_components(dossier: Dossier, components: list) -> list[str]:
    """The names of the components asked for again; refuses foreign or reused ones."""
    if isinstance(components, str | bytes) or not isinstance(components, list | tuple):
        raise InvalidInput(_("Danh sách thành phần cần bổ sung không hợp lệ."),
                           fields={"components": [_("Phải là danh sách mã thành phần.")]})
    by_id = {str(c.pk): c for c in dossier.procedure_version.components.all()}
    reused = _reused_components(dossier)
    names, errors = [], []
    for key in dict.fromkeys(str(c) for c in components):
        component = by_id.get(key)
        if component is None:
            errors.append(_("Thành phần %(id)s không thuộc thủ tục của hồ sơ.") % {"id": key})
        elif component.pk in reused:
            errors.append(_REUSED_MESSAGE % {"name": component.name})
        else:
            names.append(component.name)
    if errors:
        raise InvalidInput(errors[0], fields={"components": errors})
    return names


_REUSED_MESSAGE = gettext_lazy(
    "“%(name)s” đã được lấy từ kho dữ liệu điện tử của người nộp; theo nguyên tắc chỉ cung "
    "cấp một lần, không được yêu cầu bổ sung lại giấy tờ này."
)


def _refuse_reused_items(dossier: Dossier, items: list[str]) -> None:
    """A free-text item that names a reused component is refused like the component itself."""
    reused = {name.casefold(): name for name in _reused_components(dossier).values()}
    named = [reused[i.casefold()] for i in items if i.casefold() in reused]
    if named:
        raise InvalidInput(_REUSED_MESSAGE % {"name": named[0]},
                           fields={"items": [_REUSED_MESSAGE % {"name": n} for n in named]})


@transaction.atomic
def request_supplement(*, official, dossier: Dossier, reason: str, items: list[str] | None = None,
                       components: list | None = None,
                       now: dt.datetime | None = None) -> Dossier:
    """Ask the applicant once, with every missing item; the agency's clock stops.

    ``items`` are free-text papers; ``components`` names components of the
    procedure to supply again, recorded by name among the items. A component
    supplied from the applicant's data store cannot be asked for again
    (once-only, Decree 45/2020), whether named by id or by its name.
    """
    now = now or timezone.now()
    dossier = _lock(dossier)
    _require_status(dossier, _("yêu cầu bổ sung"), Status.NEW, Status.RECEIVED, Status.PROCESSING)
    if dossier.status == Status.NEW:
        require_role(official, dossier.agency_id, Role.COUNTER_OFFICER)
    else:
        _require_step_actor(official, dossier)
    if dossier.supplement_count >= 1:
        raise InvalidTransition(
            _("Hồ sơ đã được yêu cầu bổ sung một lần; không được yêu cầu bổ sung lần nữa.")
        )
    if isinstance(items, str) or not all(isinstance(i, str) for i in items or []):
        raise InvalidInput(_("Danh sách giấy tờ cần bổ sung không hợp lệ."),
                           fields={"items": [_("Mỗi giấy tờ là một dòng văn bản.")]})
    items = [i.strip() for i in items or [] if i and i.strip()]
    items = _supplement_components(dossier, components or []) + items
    _refuse_reused_items(dossier, items)
    if not (reason or "").strip() or not items:
        raise InvalidInput(
            _("Hãy nêu lý do và liệt kê đầy đủ giấy tờ cần bổ sung."),
            fields={"reason": [_("Bắt buộc.")]} if not (reason or "").strip()
            else {"items": [_("Cần ít nhất một giấy tờ.")]},
        )
    SupplementRequest.objects.create(dossier=dossier, requested_by=official, requested_at=now,
                                     status_before=dossier.status, reason=reason.strip(),
                                     items=items)
    dossier.supplement_count += 1
    if dossier.received_at:
        dossier.clock_paused_at = now
    _transition(dossier, official, "request_supplement", Status.SUPPLEMENT_REQUESTED,
                reason=reason.strip(), items=items)
    return dossier


@transaction.atomic
def supply_supplement(*, actor, dossier: Dossier, files: Mapping, form_data: Mapping | None = None,
                      now: dt.datetime | None = None) -> Dossier:
    """The applicant (online, or through the counter) supplies the missing papers."""
    now = now or timezone.now()
    dossier = _lock(dossier)
    if getattr(actor, "is_official", False):
        require_role(actor, dossier.agency_id, Role.COUNTER_OFFICER)
    else:
        require_applicant(actor, dossier)
    _require_status(dossier, _("bổ sung hồ sơ"), Status.SUPPLEMENT_REQUESTED)
    if not files:
        raise InvalidInput(_("Hãy đính kèm giấy tờ bổ sung."), fields={"files": [_("Bắt buộc.")]})
    checked = _check_files(dossier.procedure_version, files, require_all=False)
    if form_data:
        dossier.form_data = {**dossier.form_data,
                             **_validate_form(dossier.procedure_version,
                                              {**dossier.form_data, **form_data})}
    _store_files(_write_files(dossier, checked, by=actor, supplement=True))
    request_ = dossier.supplements.filter(supplied_at__isnull=True).latest("requested_at")
    request_.supplied_at = now
    request_.save()
    if dossier.clock_paused_at:
        cal = WorkCalendar.load()
        paused = cal.working_seconds_between(dossier.clock_paused_at, now)
        dossier.due_at = cal.add_working_seconds(dossier.due_at, paused)
        dossier.paused_seconds += paused
        current = _current_record(dossier)
        if current:
            current.due_at = cal.add_working_seconds(current.due_at, paused)
            current.paused_seconds += paused
            current.save()
        dossier.clock_paused_at = None
    _transition(dossier, actor, "supply_supplement", request_.status_before)
    return dossier


# -- processing ------------------------------------------------------------------------
@transaction.atomic
def hand_over(*, official, dossier: Dossier, to_user=None, note: str = "",
              now: dt.datetime | None = None) -> Dossier:
    """Pass the dossier to the next step of the internal process (a control-sheet row)."""
    now = now or timezone.now()
    dossier = _lock(dossier)
    _require_status(dossier, _("chuyển bước xử lý"), Status.RECEIVED, Status.PROCESSING)
    _require_step_actor(official, dossier)
    version = dossier.procedure_version
    current_order = dossier.current_step.order if dossier.current_step else 0
    next_step = version.steps.filter(order__gt=current_order).order_by("order").first()
    if next_step is None:
        raise InvalidTransition(_("Đây là bước cuối của quy trình: hãy hoàn thành xử lý hồ sơ."))
    next_agency = next_step.agency or dossier.agency
    if to_user is not None and not to_user.role_assignments.filter(
        agency=next_agency, role__in=(next_step.role, Role.LEADER)
    ).exists():
        raise InvalidInput(
            _("%(user)s không giữ vai trò “%(role)s” tại %(agency)s.")
            % {"user": to_user, "role": next_step.get_role_display(), "agency": next_agency.name},
            fields={"to_user": [_("Người nhận không phù hợp với bước này.")]},
        )
    _close_step(dossier, at=now, handed_to=to_user, note=note)
    _open_step(dossier, next_step, giver=official, receiver=to_user, at=now)
    _transition(dossier, official, "hand_over", Status.PROCESSING, step=next_step.name,
                to_user=str(to_user.uuid) if to_user else "")
    return dossier


@transaction.atomic
def request_financial_obligation(*, official, dossier: Dossier, amount: int, reason: str,
                                 now: dt.datetime | None = None) -> Dossier:
    now = now or timezone.now()
    dossier = _lock(dossier)
    _require_status(dossier, _("yêu cầu thực hiện nghĩa vụ tài chính"),
                    Status.RECEIVED, Status.PROCESSING)
    _require_step_actor(official, dossier)
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= MAX_AMOUNT:
        raise InvalidInput(_("Số tiền phải là số nguyên dương (VNĐ)."),
                           fields={"amount": [_("Không hợp lệ.")]})
    if not (reason or "").strip():
        raise InvalidInput(_("Hãy nêu nội dung nghĩa vụ tài chính."),
                           fields={"reason": [_("Bắt buộc.")]})
    FinancialObligation.objects.create(dossier=dossier, amount=amount, reason=reason.strip(),
                                       requested_by=official, requested_at=now)
    _transition(dossier, official, "request_financial_obligation", Status.FINANCIAL_OBLIGATION,
                amount=amount)
    return dossier


@transaction.atomic
def fulfil_financial_obligation(*, official, dossier: Dossier, reference: str,
                                now: dt.datetime | None = None) -> Dossier:
    """Record that the applicant has paid what was asked; processing resumes."""
    now = now or timezone.now()
    dossier = _lock(dossier)
    _require_status(dossier, _("xác nhận nghĩa vụ tài chính"), Status.FINANCIAL_OBLIGATION)
    _require_step_actor(official, dossier)
    if not (reference or "").strip():
        raise InvalidInput(_("Hãy ghi số biên lai hoặc chứng từ nộp tiền."),
                           fields={"reference": [_("Bắt buộc.")]})
    reference_field = FinancialObligation._meta.get_field("fulfilled_reference")
    if len(reference.strip()) > reference_field.max_length:
        raise InvalidInput(_("Số biên lai quá dài."), fields={"reference": [_("Quá dài.")]})
    obligation = dossier.obligations.filter(fulfilled_at__isnull=True).latest("requested_at")
    obligation.fulfilled_at = now
    obligation.fulfilled_reference = reference.strip()
    obligation.save()
    _transition(dossier, official, "fulfil_financial_obligation", Status.PROCESSING,
                reference=reference.strip())
    return dossier


@transaction.atomic
def complete(*, official, dossier: Dossier, result_summary: str,
             now: dt.datetime | None = None) -> Dossier:
    """The last step is done: the result is ready to be returned (status 9)."""
    now = now or timezone.now()
    dossier = _lock(dossier)
    _require_status(dossier, _("hoàn thành xử lý"), Status.PROCESSING, Status.RECEIVED)
    _require_step_actor(official, dossier)
    current_order = dossier.current_step.order if dossier.current_step else 0
    if dossier.procedure_version.steps.filter(order__gt=current_order).exists():
        raise InvalidTransition(
            _("Hồ sơ chưa qua hết các bước của quy trình nội bộ: hãy chuyển bước tiếp theo.")
        )
    if not (result_summary or "").strip():
        raise InvalidInput(_("Hãy ghi kết quả giải quyết."),
                           fields={"result_summary": [_("Bắt buộc.")]})
    _close_step(dossier, at=now)
    dossier.processed_at = now
    dossier.result_summary = result_summary.strip()
    dossier.current_agency = dossier.agency
    dossier.timeliness = judge_dossier(dossier, end=now)
    _transition(dossier, official, "complete", Status.PROCESSED, timeliness=dossier.timeliness)
    return dossier


@transaction.atomic
def return_result(*, officer, dossier: Dossier, now: dt.datetime | None = None) -> Dossier:
    now = now or timezone.now()
    dossier = _lock(dossier)
    require_role(officer, dossier.agency_id, Role.COUNTER_OFFICER)
    _require_status(dossier, _("trả kết quả"), Status.PROCESSED)
    dossier.returned_at = now
    dossier.closed_at = now
    _transition(dossier, officer, "return_result", Status.RETURNED)
    return dossier


# -- ending early ----------------------------------------------------------------------
@transaction.atomic
def withdraw(*, actor, dossier: Dossier, reason: str, now: dt.datetime | None = None) -> Dossier:
    """The applicant withdraws the dossier (online, or at the counter through an officer)."""
    now = now or timezone.now()
    dossier = _lock(dossier)
    if getattr(actor, "is_official", False):
        require_role(actor, dossier.agency_id, Role.COUNTER_OFFICER)
    else:
        require_applicant(actor, dossier)
    _require_status(dossier, _("rút hồ sơ"), Status.NEW, Status.RECEIVED, Status.PROCESSING,
                    Status.SUPPLEMENT_REQUESTED, Status.FINANCIAL_OBLIGATION)
    if not (reason or "").strip():
        raise InvalidInput(_("Hãy nêu lý do rút hồ sơ."), fields={"reason": [_("Bắt buộc.")]})
    _close_step(dossier, at=now, note=WITHDRAWN_NOTE)
    dossier.closing_reason = reason.strip()
    dossier.closed_at = now
    _transition(dossier, actor, "withdraw", Status.WITHDRAWN, reason=reason.strip())
    return dossier


@transaction.atomic
def stop_processing(*, official, dossier: Dossier, reason: str,
                    now: dt.datetime | None = None) -> Dossier:
    """A leader stops processing (form 05), e.g. the supplement never came."""
    now = now or timezone.now()
    dossier = _lock(dossier)
    require_role(official, dossier.current_agency_id or dossier.agency_id, Role.LEADER)
    _require_status(dossier, _("dừng xử lý"), Status.RECEIVED, Status.PROCESSING,
                    Status.SUPPLEMENT_REQUESTED, Status.FINANCIAL_OBLIGATION)
    if not (reason or "").strip():
        raise InvalidInput(_("Hãy nêu lý do dừng xử lý."), fields={"reason": [_("Bắt buộc.")]})
    _close_step(dossier, at=now, note=STOPPED_NOTE)
    dossier.closing_reason = reason.strip()
    dossier.closed_at = now
    dossier.timeliness = judge_dossier(dossier, end=now)
    _transition(dossier, official, "stop", Status.STOPPED, reason=reason.strip())
    return dossier


@transaction.atomic
def apologise(*, official, dossier: Dossier, reason: str, new_due_at: dt.datetime,
              now: dt.datetime | None = None) -> Dossier:
    """Send the apology letter with a new appointment date, before the deadline (form 04)."""
    now = now or timezone.now()
    dossier = _lock(dossier)
    _require_status(dossier, _("gửi thư xin lỗi, hẹn lại"), Status.RECEIVED, Status.PROCESSING,
                    Status.FINANCIAL_OBLIGATION)
    require_role(official, dossier.current_agency_id or dossier.agency_id,
                 Role.COUNTER_OFFICER, Role.LEADER, Role.SPECIALIST)
    current_due = dossier.effective_due_at
    if now > current_due:
        raise InvalidTransition(_("Thư xin lỗi phải được gửi trước thời hạn hẹn trả."))
    if (not isinstance(new_due_at, dt.datetime) or timezone.is_naive(new_due_at)
            or new_due_at <= current_due):
        raise InvalidInput(_("Ngày hẹn mới phải sau ngày hẹn hiện tại."),
                           fields={"new_due_at": [_("Không hợp lệ.")]})
    if not (reason or "").strip():
        raise InvalidInput(_("Hãy nêu lý do chậm trễ."), fields={"reason": [_("Bắt buộc.")]})
    Apology.objects.create(dossier=dossier, created_by=official, created_at=now,
                           reason=reason.strip(), previous_due_at=current_due,
                           new_due_at=new_due_at)
    dossier.apology_due_at = new_due_at
    _transition(dossier, official, "apologise", dossier.status,
                new_due_at=new_due_at.isoformat(), reason=reason.strip())
    return dossier


# -- after the result --------------------------------------------------------------------
@transaction.atomic
def rate(*, applicant, dossier: Dossier, scores: Mapping[str, int], comment: str = "") -> Rating:
    """The applicant rates the service on the 9 indicators, once, after the result."""
    dossier = _lock(dossier)
    require_applicant(applicant, dossier)
    _require_status(dossier, _("đánh giá"), Status.PROCESSED, Status.RETURNED)
    if Rating.objects.filter(dossier=dossier).exists():
        raise InvalidTransition(_("Hồ sơ này đã được đánh giá."))
    if not isinstance(scores, Mapping):
        raise InvalidInput(_("Phiếu đánh giá chưa đầy đủ."), fields={"scores": [_("Bắt buộc.")]})
    keys = [key for key, _label in Rating.INDICATORS]
    errors = {k: [_("Chọn 2, 1 hoặc 0.")] for k in keys
              if isinstance(scores.get(k), bool) or scores.get(k) not in (0, 1, 2)}
    unknown = set(scores) - set(keys)
    if unknown:
        errors["scores"] = [_("Tiêu chí không tồn tại: %(k)s") % {"k": ", ".join(sorted(unknown))}]
    if errors:
        raise InvalidInput(_("Phiếu đánh giá chưa đầy đủ."), fields=errors)
    rating = Rating.objects.create(dossier=dossier, scores={k: int(scores[k]) for k in keys},
                                   comment=(comment or "").strip())
    record(actor=applicant, action="rate", obj=dossier, total=rating.total)
    return rating


# -- fees and payments (called by digigov.payments once a payment is verified) -----------
@transaction.atomic
def record_fee_payment(*, actor, dossier: Dossier, amount: int, receipt: str,
                       channel: str) -> Dossier:
    """The dossier's fee has been paid (verified by the payments app); the status is unchanged.

    ``actor`` is the counter officer who took the money, or None for a
    payment the gateway confirmed.
    """
    dossier = _lock(dossier)
    record(actor=actor, action="pay_fee", obj=dossier, amount=amount, receipt=receipt,
           payment_channel=channel)
    return dossier


@transaction.atomic
def settle_financial_obligation(*, actor, dossier: Dossier, obligation: FinancialObligation,
                                receipt: str, channel: str,
                                now: dt.datetime | None = None) -> Dossier:
    """A financial obligation has been paid (verified by the payments app); processing resumes.

    Unlike ``fulfil_financial_obligation`` no step actor confirms it: the
    payment record is the proof. ``actor`` is the counter officer who took the
    money, or None for a payment the gateway confirmed.
    """
    now = now or timezone.now()
    dossier = _lock(dossier)
    _require_status(dossier, _("xác nhận nghĩa vụ tài chính"), Status.FINANCIAL_OBLIGATION)
    obligation = FinancialObligation.objects.select_for_update().get(pk=obligation.pk)
    if obligation.dossier_id != dossier.pk or obligation.fulfilled_at is not None:
        raise InvalidTransition(_("Nghĩa vụ tài chính này đã được thực hiện."))
    obligation.fulfilled_at = now
    obligation.fulfilled_reference = receipt[:100]
    obligation.save()
    _transition(dossier, actor, "fulfil_financial_obligation", Status.PROCESSING,
                reference=receipt, amount=obligation.amount, payment_channel=channel)
    return dossier
