"""Services (procedures) and their e-forms (procedure versions). Public, like the catalog."""

from django.utils.translation import gettext as _

from digigov.core.errors import NotFound

from .. import identifiers, representations, selectors
from ..http import Call


def list_services(call: Call) -> list[dict]:
    result = []
    for procedure in selectors.services(call.request.GET.get("name")):
        version = selectors.version_in_force(procedure)
        if version is not None:
            result.append(representations.service(procedure, version))
    return result


def _service_in_force(service_id: str):
    procedure = identifiers.find_service(service_id)
    version = selectors.version_in_force(procedure)
    if version is None:
        raise NotFound(_("Dịch vụ %(id)s chưa có phiên bản đang có hiệu lực.") % {"id": service_id})
    return procedure, version


def get_service(call: Call, service_id: str) -> dict:
    procedure, version = _service_in_force(service_id)
    return representations.service(procedure, version)


def list_eforms(call: Call, service_id: str) -> list[dict]:
    procedure, version = _service_in_force(service_id)
    return [representations.eform_item(v, latest=v.pk == version.pk)
            for v in selectors.eform_versions(procedure)]


def get_eform(call: Call, eform_id: str) -> dict:
    version = identifiers.find_eform(eform_id)
    in_force = version.procedure.version_on()
    return representations.eform(call.request, version,
                                 latest=in_force is not None and in_force.pk == version.pk)
