"""The GovStack identifiers and the digigov records they name.

- ``serviceId``: the procedure's UUID (the spec types it ``uuid``). The
  procedure's national code is accepted too wherever a serviceId is read.
- ``eFormId``: ``<procedure UUID>@<effective date of the version>``, e.g.
  ``f7d33db0-2809-484e-a780-76b7ccd4ecbf@2025-07-01``: one e-form per
  procedure version, stable and readable without a lookup table.
- ``fileId`` and ``mainTaskId``: the dossier's UUID (no dossier code in URLs:
  it is sequential and names a person's record).
- ``taskId``: ``<dossier UUID>.<n>``, where n counts the control-sheet rows
  opened so far (0 = online reception). A completed task's id never names
  the next one, so a stale completion cannot act twice.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils.translation import gettext as _

from digigov.catalog.models import Procedure, ProcedureVersion
from digigov.catalog.selectors import published_procedures
from digigov.core.errors import NotFound
from digigov.dossiers.models import Dossier

from .http import parse_uuid

EFORM_SEPARATOR = "@"
TASK_SEPARATOR = "."


def service_id(procedure: Procedure) -> str:
    return str(procedure.uuid)


def procedure_filter(value: str) -> dict:
    """Lookup arguments for a serviceId given as a UUID or a national code."""
    parsed = parse_uuid(value)
    return {"uuid": parsed} if parsed else {"national_code": value.strip()}


def find_service(value: str) -> Procedure:
    procedure = published_procedures().filter(**procedure_filter(value)).first()
    if procedure is None:
        raise NotFound(_("Không tìm thấy dịch vụ (thủ tục) %(id)s.") % {"id": value})
    return procedure


def eform_id(version: ProcedureVersion) -> str:
    return f"{version.procedure.uuid}{EFORM_SEPARATOR}{version.effective_from.isoformat()}"


def find_eform(value: str) -> ProcedureVersion:
    """The version of a published procedure that an eFormId names."""
    service, _sep, day = value.partition(EFORM_SEPARATOR)
    procedure_uuid = parse_uuid(service)
    try:
        effective_from = dt.date.fromisoformat(day)
    except ValueError:
        effective_from = None
    version = None
    if procedure_uuid and effective_from:
        version = (ProcedureVersion.objects.select_related("procedure", "procedure__sector")
                   .filter(procedure__uuid=procedure_uuid, procedure__is_published=True,
                           effective_from=effective_from).first())
    if version is None:
        raise NotFound(_("Không tìm thấy biểu mẫu %(id)s.") % {"id": value})
    return version


def file_id(dossier: Dossier) -> str:
    return str(dossier.uuid)


def task_id(dossier: Dossier, ordinal: int) -> str:
    return f"{dossier.uuid}{TASK_SEPARATOR}{ordinal}"


def parse_task_id(value: str) -> tuple[uuid.UUID, int] | None:
    head, _sep, tail = value.rpartition(TASK_SEPARATOR)
    dossier_uuid = parse_uuid(head)
    if dossier_uuid is None or not tail.isdigit():
        return None
    return dossier_uuid, int(tail)
