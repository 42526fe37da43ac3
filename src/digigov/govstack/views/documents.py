"""Uploads (``POST /documents``) and the files behind every document URL."""

from django.http import FileResponse
from django.utils.translation import gettext as _

from digigov.core.errors import NotFound
from digigov.dossiers.models import DossierFile
from digigov.dossiers.permissions import can_view

from .. import documents, representations
from ..http import Call, parse_uuid
from ..models import StagedDocument


def upload(call: Call) -> dict:
    call.require_user()
    staged = documents.stage(call.request, call.user)
    return {
        "code": 200,
        "type": "success",
        "message": _("Đã tải lên “%(name)s”.") % {"name": staged.original_name},
        "url": representations.document_url(call.request, staged.uuid),
    }


def download(call: Call, document_id: str) -> FileResponse:
    """A staged upload for its uploader, or a dossier's file for whoever may see the dossier."""
    call.require_user()
    document_uuid = parse_uuid(document_id)
    found = None
    if document_uuid:
        staged = StagedDocument.objects.filter(uuid=document_uuid, owner=call.user).first()
        if staged is not None:
            found = (staged.file, staged.original_name, staged.content_type)
        else:
            attached = (DossierFile.objects.select_related("dossier")
                        .filter(uuid=document_uuid).first())
            if attached is not None and can_view(call.user, attached.dossier):
                found = (attached.file, attached.original_name, attached.content_type)
    if found is None:
        raise NotFound(_("Không tìm thấy tài liệu %(id)s.") % {"id": document_id})
    file, name, content_type = found
    return FileResponse(file.open("rb"), as_attachment=True, filename=name,
                        content_type=content_type)
