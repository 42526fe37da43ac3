"""digigov records rendered as the GovStack Registration schemas.

Only the properties the spec defines are emitted. Maps whose values the spec
types as objects (``formData.data``, ``formVariables``, ``additionalMeta``)
carry each value as ``{"value": ...}``.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from digigov.accounts.models import Role
from digigov.catalog.models import Procedure, ProcedureVersion
from digigov.dossiers.models import Dossier, Status

from . import identifiers
from .eforms import eform_schema
from .selectors import TaskView, current_task

# The four GovStack states of an application file, from the national status codes.
PENDING, APPROVED, SENDBACK, REJECTED = "PENDING", "APPROVED", "SENDBACK", "REJECTED"
GOVSTACK_STATUS = {
    Status.NEW: PENDING,
    Status.RECEIVED: PENDING,
    Status.PROCESSING: PENDING,
    Status.FINANCIAL_OBLIGATION: PENDING,
    Status.SUPPLEMENT_REQUESTED: SENDBACK,
    Status.PROCESSED: APPROVED,
    Status.RETURNED: APPROVED,
    Status.NOT_RECEIVED: REJECTED,
    Status.STOPPED: REJECTED,
    Status.WITHDRAWN: REJECTED,
}


def timestamp(value: dt.datetime) -> str:
    return value.isoformat()


def wrap(values: dict) -> dict:
    return {key: {"value": value} for key, value in values.items()}


def localized(obj, attr: str = "name") -> str:
    """The English name when the request is in English and one is recorded."""
    english = getattr(obj, f"{attr}_en", "")
    return english if translation.get_language() == "en" and english else getattr(obj, attr)


def status_model(dossier: Dossier) -> dict:
    return {"code": GOVSTACK_STATUS[dossier.status], "title": dossier.get_status_display()}


def document_url(request: HttpRequest, document_uuid) -> str:
    return request.build_absolute_uri(
        reverse("govstack-registration:document", args=[str(document_uuid)]))


def reception_name() -> str:
    return _("Tiếp nhận hồ sơ")


# -- services and e-forms --------------------------------------------------------------
def _time_limit(version: ProcedureVersion) -> str:
    if version.time_limit_text:
        return version.time_limit_text
    return f"{version.time_limit_amount.normalize():f} {version.get_time_limit_unit_display()}"


def service(procedure: Procedure, version: ProcedureVersion) -> dict:
    agencies = sorted(procedure.competent_agencies.all(), key=lambda a: a.code)
    body = [
        ("nationalCode", procedure.national_code),
        ("sector", localized(procedure.sector)),
        ("implementingLevel", procedure.get_level_display()),
        ("onlineServiceLevel", version.service_level),
        ("timeLimit", _time_limit(version)),
        ("feeOnline", str(version.fee_online)),
        ("feeCounter", str(version.fee_counter)),
        ("resultType", version.result_type),
        ("legalBasis", version.legal_basis),
        ("competentAgencies", ", ".join(a.code for a in agencies)),
        ("applicantTypes", ", ".join(version.applicant_types)),
        ("eFormId", identifiers.eform_id(version)),
    ]
    return {
        "id": identifiers.service_id(procedure),
        "name": localized(procedure),
        "version": version.effective_from.isoformat(),
        "type": "Public",
        "isExecutable": version.is_online,
        "isClosed": False,
        "description": version.steps_description or version.result_type,
        "serviceBody": [{"code": code, "value": value} for code, value in body],
    }


def eform_item(version: ProcedureVersion, *, latest: bool) -> dict:
    return {
        "eFormId": identifiers.eform_id(version),
        "name": localized(version.procedure),
        "description": _("Tờ khai và thành phần hồ sơ, áp dụng từ %(day)s.")
        % {"day": version.effective_from.strftime("%d/%m/%Y")},
        "version": version.effective_from.isoformat(),
        "latest": latest,
    }


def eform(request: HttpRequest, version: ProcedureVersion, *, latest: bool) -> dict:
    return {
        **eform_item(version, latest=latest),
        "schema": eform_schema(version, title=localized(version.procedure),
                               build_url=request.build_absolute_uri),
    }


# -- applications --------------------------------------------------------------
def _applicant_id(dossier: Dossier) -> str:
    # A dossier brought to the counter by someone without an account has no applicant id.
    return str(dossier.applicant.uuid) if dossier.applicant_id else ""


def _document_urls(request: HttpRequest, dossier: Dossier) -> list[str]:
    return [document_url(request, f.uuid) for f in dossier.files.all()]


def application_data(request: HttpRequest, dossier: Dossier) -> dict:
    return {
        "applicantId": _applicant_id(dossier),
        "applicationName": dossier.applicant_name,
        "created": timestamp(dossier.submitted_at),
        "formData": {"eFormId": identifiers.eform_id(dossier.procedure_version),
                     "data": wrap(dossier.form_data)},
        "documentUrls": _document_urls(request, dossier),
    }


def application(request: HttpRequest, dossier: Dossier) -> dict:
    return {
        "fileId": identifiers.file_id(dossier),
        "applicantId": _applicant_id(dossier),
        "registered": timestamp(dossier.submitted_at),
        "serviceId": identifiers.service_id(dossier.procedure),
        "serviceName": localized(dossier.procedure),
        "status": status_model(dossier),
        "ended": not dossier.is_open,
        "applicationData": application_data(request, dossier),
    }


def _dossier_facts(dossier: Dossier, task: TaskView | None) -> dict:
    facts = {
        "dossierCode": dossier.code,
        "nationalStatus": int(dossier.status),
        "channel": int(dossier.channel),
        "receivingAgency": dossier.agency.code,
        "fee": dossier.fee_amount,
    }
    for key, value in (("receivedAt", dossier.received_at), ("dueDate", dossier.effective_due_at),
                       ("processedAt", dossier.processed_at), ("closedAt", dossier.closed_at)):
        if value:
            facts[key] = timestamp(value)
    if dossier.timeliness:
        facts["timeliness"] = dossier.timeliness
    if dossier.closing_reason:
        facts["reason"] = dossier.closing_reason
    if dossier.result_summary:
        facts["result"] = dossier.result_summary
    if task is not None:
        facts["taskId"] = identifiers.task_id(dossier, task.ordinal)
    return facts


def application_list_item(request: HttpRequest, dossier: Dossier) -> dict:
    task = current_task(dossier, reception_name())
    item = {
        "fileId": identifiers.file_id(dossier),
        "mainTaskId": identifiers.file_id(dossier),
        "status": status_model(dossier),
        "applicantId": _applicant_id(dossier),
        "created": timestamp(dossier.submitted_at),
        "registered": timestamp(dossier.submitted_at),
        "description": dossier.code,
        "serviceName": localized(dossier.procedure),
        "serviceId": identifiers.service_id(dossier.procedure),
        "eformId": identifiers.eform_id(dossier.procedure_version),
        "documentUrls": _document_urls(request, dossier),
        "additionalMeta": {"data": wrap(_dossier_facts(dossier, task))},
    }
    if task is not None:
        item.update(taskTitle=task.name, roleId=task.role, roleName=str(Role(task.role).label))
    if dossier.assignee_id:
        item.update(assigneeId=str(dossier.assignee.uuid), operatorName=dossier.assignee.full_name)
    return item


# -- tasks --------------------------------------------------------------
def _task_common(dossier: Dossier, task: TaskView) -> dict:
    common = {
        "taskId": identifiers.task_id(dossier, task.ordinal),
        "roleId": task.role,
        "created": timestamp(task.created),
        "description": f"{dossier.code} — {localized(dossier.procedure)}",
        "serviceId": identifiers.service_id(dossier.procedure),
        "serviceName": localized(dossier.procedure),
        "fileId": identifiers.file_id(dossier),
        "eFormId": identifiers.eform_id(dossier.procedure_version),
        "status": status_model(dossier),
    }
    if dossier.assignee_id:
        common["assigneeId"] = str(dossier.assignee.uuid)
    return common


def task(dossier: Dossier) -> dict:
    view = current_task(dossier, reception_name())
    return {**_task_common(dossier, view), "mainTaskId": identifiers.file_id(dossier),
            "name": view.name}


def task_detail(dossier: Dossier, *, action: str, decisions: list[str]) -> dict:
    view = current_task(dossier, reception_name())
    data = {**_dossier_facts(dossier, view), "action": action, "decisions": decisions,
            "roleName": str(Role(view.role).label),
            "agency": (dossier.current_agency or dossier.agency).code}
    if view.due:
        data["taskDueDate"] = timestamp(view.due)
    return {**_task_common(dossier, view), "taskName": view.name,
            "formVariables": wrap(dossier.form_data), "data": wrap(data)}


def completed_task(dossier: Dossier, completed_task_id: str, next_task: dict | None) -> dict:
    variables = {"dossier": {"data": wrap(_dossier_facts(dossier, None))}}
    if next_task is not None:
        variables["nextTask"] = {"data": wrap(next_task)}
    return {
        "taskId": completed_task_id,
        "fileId": identifiers.file_id(dossier),
        "serviceId": identifiers.service_id(dossier.procedure),
        "status": status_model(dossier),
        "variables": variables,
    }
