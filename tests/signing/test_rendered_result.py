"""A dossier's result as digigov.pdfs renders it, signed at the boxes it measured,
recorded with the UUID its QR code points to."""

from io import BytesIO

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from digigov.signing import services
from digigov.signing.verification import verify_pdf

documents = pytest.importorskip("digigov.pdfs.documents")


def test_result_signed_where_the_layout_reserved_room(processed, leader_a, commune_a,
                                                      agency_credential, officer_credential):
    record_uuid = services.new_document_uuid()
    rendered = documents.render_result_document(processed, verification_uuid=record_uuid,
                                                number="15/GKS", signer=leader_a)
    issued = services.issue_document(
        rendered.pdf, kind="result", title="Giấy khai sinh (bản chính)", number="15/GKS",
        issued_by=leader_a, officer=leader_a, agency=commune_a, dossier=processed,
        area=rendered.boxes, document_uuid=record_uuid)

    assert issued.uuid == record_uuid and issued.dossier == processed
    signed = issued.file.read()
    rects = {sig.field_name.split("_")[0]: [round(float(v)) for v in sig.sig_field["/Rect"]]
             for sig in PdfFileReader(BytesIO(signed)).embedded_signatures}
    boxes = rendered.boxes
    assert rects["CaNhan"] == [round(v) for v in (boxes.signer.x0, boxes.signer.y0,
                                                  boxes.signer.x1, boxes.signer.y1)]
    assert rects["CoQuan"] == [round(v) for v in (boxes.seal.x0, boxes.seal.y0,
                                                  boxes.seal.x1, boxes.seal.y1)]
    report = verify_pdf(signed)
    assert report.verdict == "valid" and report.issued == issued


def test_a_uuid_is_used_once(leader_a, commune_a, agency_credential, pdf_bytes):
    record_uuid = services.new_document_uuid()
    services.issue_document(pdf_bytes, kind="attachment", title="Phụ lục", issued_by=leader_a,
                            agency=commune_a, document_uuid=record_uuid)
    with pytest.raises(services.InvalidInput):
        services.issue_document(pdf_bytes, kind="attachment", title="Phụ lục",
                                issued_by=leader_a, agency=commune_a,
                                document_uuid=record_uuid)
