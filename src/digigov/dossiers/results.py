"""Electronic results: render, sign (the leader and the agency), register, file in the store.

The result has the same legal value as a paper one (Decree 45/2020): it
carries the signer's personal signature and the agency's, a QR code to the
public verification page, and goes into the applicant's data store so that
no agency asks for it again.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from digigov.accounts.models import Role
from digigov.audit.services import record
from digigov.core.errors import InvalidTransition
from digigov.pdfs.documents import render_result_document
from digigov.signing.models import IssuedDocument
from digigov.signing.services import issue_document, new_document_uuid
from digigov.store.services import result_kind, store_result

from . import notifications
from .models import Dossier, Status
from .permissions import require_role


def issued_result(dossier: Dossier) -> IssuedDocument | None:
    return dossier.issued_documents.filter(kind=IssuedDocument.Kind.RESULT).first()


@transaction.atomic
def issue_electronic_result(*, official, dossier: Dossier, number: str = "") -> IssuedDocument:
    """The leader of the receiving unit signs the result of a processed dossier, once."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    require_role(official, dossier.agency_id, Role.LEADER)
    if dossier.status not in (Status.PROCESSED, Status.RETURNED):
        raise InvalidTransition(
            _("Chỉ phát hành kết quả điện tử cho hồ sơ đã xử lý xong (hồ sơ %(code)s đang ở "
              "trạng thái “%(status)s”).")
            % {"code": dossier.code, "status": dossier.get_status_display()})
    if issued_result(dossier) is not None:
        raise InvalidTransition(
            _("Kết quả điện tử của hồ sơ %(code)s đã được phát hành.") % {"code": dossier.code})
    document_uuid = new_document_uuid()
    rendered = render_result_document(dossier, verification_uuid=document_uuid,
                                      number=number, signer=official)
    document = issue_document(
        rendered.pdf, kind=IssuedDocument.Kind.RESULT,
        title=dossier.procedure_version.result_type or dossier.procedure.name,
        issued_by=official, officer=official, agency=dossier.agency, number=number,
        dossier=dossier, area=rendered.boxes, document_uuid=document_uuid)
    stored = None
    if result_kind(dossier.procedure) is not None:
        document.file.open("rb")
        try:
            stored = store_result(dossier, document.file.read(), number=number, actor=official)
        finally:
            document.file.close()
    record(actor=official, action="issue_result", obj=dossier, document=str(document.uuid),
           stored=str(stored.uuid) if stored else "")
    notifications.notify_applicant(dossier, "issue_result")
    return document
