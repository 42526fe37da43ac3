"""Application files = dossiers: submit online, list, read, answer a supplement request."""

from django.db import transaction
from django.utils.translation import gettext as _

from digigov.catalog.models import ProcedureVersion
from digigov.core.errors import InvalidInput, NotAllowed, NotFound
from digigov.dossiers import services
from digigov.orgs.models import Agency

from .. import documents, identifiers, representations, selectors
from ..eforms import AGENCY_KEY
from ..http import Call, json_body, parse_uuid, uuid_param
from ..workflow import unwrap
from . import note_call
from .common import ordering, page

SORT_COLUMNS = {
    "created": "submitted_at",
    "dueDate": "due_at",
    "id": "uuid",
    "instanceId": "uuid",
    "caseInstanceId": "uuid",
    "name": "procedure__name",
    "nameCaseInsensitive": "procedure__name",
    "assignee": "assignee__full_name",
    "description": "code",
}


def _form_data(body: dict) -> tuple[str, dict]:
    form = body.get("formData") or {}
    if not isinstance(form, dict):
        raise InvalidInput(_("formData phải là một đối tượng JSON."),
                           fields={"formData": [_("Phải là một đối tượng.")]})
    eform = form.get("eFormId") or ""
    if not isinstance(eform, str):
        raise InvalidInput(_("eFormId phải là chuỗi ký tự."),
                           fields={"formData.eFormId": [_("Phải là chuỗi ký tự.")]})
    return eform, unwrap(form.get("data"), field="formData.data")


def _check_eform(eform: str, version: ProcedureVersion | None) -> None:
    if eform and (version is None or eform != identifiers.eform_id(version)):
        message = _("Biểu mẫu %(id)s không phải biểu mẫu đang áp dụng cho hồ sơ này; "
                    "hãy lấy lại biểu mẫu hiện hành.") % {"id": eform}
        raise InvalidInput(message, fields={"formData.eFormId": [message]})


def _check_keys(data: dict, version: ProcedureVersion, *extra: str) -> None:
    known = set(version.form_fields.values_list("key", flat=True)) | set(extra)
    unknown = sorted(set(data) - known)
    if unknown:
        raise InvalidInput(
            _("Biểu mẫu không có trường: %(keys)s.") % {"keys": ", ".join(unknown)},
            fields={f"formData.data.{k}": [_("Không có trong biểu mẫu.")] for k in unknown})


def _receiving_agency(data: dict) -> Agency | None:
    code = data.pop(AGENCY_KEY, None)
    if code in (None, ""):
        return None
    agency = Agency.objects.filter(code=str(code)).first()
    if agency is None:
        message = _("Không có cơ quan mã %(code)s.") % {"code": code}
        raise InvalidInput(message, fields={f"formData.data.{AGENCY_KEY}": [message]})
    return agency


def _require_own_applicant_id(call: Call, body: dict) -> None:
    applicant_id = body.get("applicantId")
    if not applicant_id:
        raise InvalidInput(_("Thiếu applicantId."), fields={"applicantId": [_("Bắt buộc.")]})
    if parse_uuid(applicant_id) != call.user.uuid:
        raise NotAllowed(_("applicantId phải là mã tài khoản đang đăng nhập: "
                           "chỉ được nộp hồ sơ cho chính mình."))


def _reloaded(call: Call, dossier):
    return selectors.application(call.user, dossier.uuid)


def submit(call: Call, service_id: str) -> dict:
    call.require_user()
    procedure = identifiers.find_service(service_id)
    body = json_body(call.request)
    _require_own_applicant_id(call, body)
    eform, data = _form_data(body)
    version = procedure.version_on()
    _check_eform(eform, version)
    if version is not None:
        _check_keys(data, version, AGENCY_KEY)
    agency = _receiving_agency(data)
    staged = documents.resolve(call.user, body.get("documentUrls"))
    with transaction.atomic():
        with documents.opened(staged) as files:
            dossier = services.submit_online(applicant=call.user, procedure=procedure,
                                             form_data=data, files=files, agency=agency)
        documents.consume(staged)
        note_call(call, dossier, "submitApplication")
    return representations.application(call.request, _reloaded(call, dossier))


def list_applications(call: Call) -> list[dict]:
    call.require_user()
    service = call.request.GET.get("serviceId")
    first, size = page(call)
    qs = selectors.applications(
        call.user,
        procedure_filter=identifiers.procedure_filter(service) if service else None,
        applicant_uuid=uuid_param(call.request, "applicantId"),
        ordering=ordering(call, SORT_COLUMNS, ("-submitted_at", "-pk")),
    ).prefetch_related("files")
    return [representations.application_list_item(call.request, d)
            for d in qs[first:first + size]]


def _visible(call: Call, file_id: str):
    dossier_uuid = parse_uuid(file_id)
    dossier = selectors.application(call.user, dossier_uuid) if dossier_uuid else None
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ %(id)s.") % {"id": file_id})
    return dossier


def get_application(call: Call, file_id: str) -> dict:
    call.require_user()
    return representations.application(call.request, _visible(call, file_id))


def update_application(call: Call, file_id: str) -> dict:
    """Operator (or applicant) data in answer to a supplement request."""
    call.require_user()
    dossier = _visible(call, file_id)
    body = json_body(call.request)
    applicant_id = body.get("applicantId")
    if not applicant_id:
        raise InvalidInput(_("Thiếu applicantId."), fields={"applicantId": [_("Bắt buộc.")]})
    if dossier.applicant_id and parse_uuid(applicant_id) != dossier.applicant.uuid:
        raise InvalidInput(_("applicantId không khớp với người nộp hồ sơ."),
                           fields={"applicantId": [_("Không khớp.")]})
    eform, data = _form_data(body)
    _check_eform(eform, dossier.procedure_version)
    _check_keys(data, dossier.procedure_version)
    staged = documents.resolve(call.user, body.get("documentUrls"))
    with transaction.atomic():
        with documents.opened(staged) as files:
            dossier = services.supply_supplement(actor=call.user, dossier=dossier, files=files,
                                                 form_data=data or None)
        documents.consume(staged)
        note_call(call, dossier, "updateApplicationFileForm")
    return representations.application(call.request, _reloaded(call, dossier))
