"""Tasks = the current step of a dossier's internal process, for the officials who act on it."""

from django.db import transaction
from django.utils.translation import gettext as _

from digigov.core.errors import NotFound

from .. import identifiers, representations, selectors, workflow
from ..http import Call, json_body, uuid_param
from . import note_call
from .common import ordering, page

SORT_COLUMNS = {
    "created": "task_created",
    "dueDate": "task_due_at",
    "id": "uuid",
    "instanceId": "uuid",
    "caseInstanceId": "uuid",
    "name": "task_name",
    "nameCaseInsensitive": "task_name",
    "assignee": "assignee__full_name",
    "description": "code",
}


def list_tasks(call: Call) -> list[dict]:
    call.require_user()
    main = uuid_param(call.request, "mainTaskId")
    file = uuid_param(call.request, "fileId")
    if main and file and main != file:
        return []
    first, size = page(call)
    qs = selectors.tasks(call.user, dossier_uuid=main or file,
                         assignee_uuid=uuid_param(call.request, "assigneeId"),
                         ordering=ordering(call, SORT_COLUMNS, ("task_created", "pk")))
    return [representations.task(d) for d in qs[first:first + size]]


def _current(call: Call, task_id: str):
    parsed = identifiers.parse_task_id(task_id)
    dossier = selectors.task(call.user, *parsed) if parsed else None
    if dossier is None:
        raise NotFound(_("Không tìm thấy công việc %(id)s (hoặc công việc đã được hoàn thành).")
                       % {"id": task_id})
    return dossier


def get_task(call: Call, task_id: str) -> dict:
    call.require_user()
    dossier = _current(call, task_id)
    return representations.task_detail(dossier, action=workflow.approve_action(dossier),
                                       decisions=list(workflow.DECISIONS))


def complete_task(call: Call, task_id: str) -> dict:
    call.require_user()
    body = json_body(call.request)
    data = workflow.unwrap(body.get("data"), field="data")
    dossier = _current(call, task_id)
    with transaction.atomic():
        dossier = workflow.complete_task(official=call.user, dossier=dossier, data=data)
        note_call(call, dossier, "completeTaskById")
    after = selectors.application(call.user, dossier.uuid)
    next_task = None
    view = selectors.current_task(after, representations.reception_name()) if after else None
    if view is not None:
        next_task = {"taskId": identifiers.task_id(after, view.ordinal), "name": view.name,
                     "roleId": view.role}
        if after.assignee_id:
            next_task["assigneeId"] = str(after.assignee.uuid)
    return representations.completed_task(after or dossier, task_id, next_task)
