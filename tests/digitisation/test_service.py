"""digitise_component: a signed, flagged copy on the dossier and in the store; refusals change
nothing."""

import hashlib
import io
from pathlib import Path

import pytest
from asn1crypto import x509
from django.conf import settings
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from digigov.audit.models import AuditEvent
from digigov.catalog.models import ComponentSpec
from digigov.core.errors import InvalidInput, InvalidTransition, NotAllowed
from digigov.dossiers import digitisation, services
from digigov.dossiers.models import DossierFile, Status
from digigov.signing import services as signing
from digigov.signing.models import IssuedDocument, SigningCredential
from digigov.store.models import Source, StoredPaper
from tests.conftest import FORM, PDF_BYTES, component_files

from .conftest import docx, scan_pdf, scan_png, upload


def media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() \
        else set()


def assert_signed_by_officer_and_agency(data: bytes, officer, agency):
    ca = x509.Certificate.load(bytes(signing.local_ca().certificate))
    context = ValidationContext(trust_roots=[ca])
    reader = PdfFileReader(io.BytesIO(data))
    signatures = reader.embedded_signatures
    assert len(signatures) == 2  # the officer's, then the agency's
    names = []
    for sig in signatures:
        status = validate_pdf_signature(sig, signer_validation_context=context)
        assert status.intact and status.valid
        names.append(sig.signer_cert.subject.native["common_name"])
    assert names == [officer.full_name, agency.name]


@pytest.mark.parametrize("data,name,mime", [
    (None, "giay-chung-sinh.pdf", "application/pdf"),
    (None, "giay-chung-sinh.png", "image/png"),
])
def test_a_scan_is_signed_flagged_and_filed_in_the_applicants_store(
        dossier, counter_a, commune_a, citizen, birth_certificate, data, name, mime):
    data = scan_pdf() if mime == "application/pdf" else scan_png("Giấy chứng sinh")
    before = DossierFile.objects.filter(dossier=dossier).count()
    result = digitisation.digitise_component(
        officer=counter_a, dossier=dossier, component_id=birth_certificate.pk,
        upload=upload(data, name, mime))
    record = DossierFile.objects.get(pk=result.pk)
    assert record.is_digitised and not record.is_reused
    assert record.component == birth_certificate and record.uploaded_by == counter_a
    assert record.content_type == "application/pdf"
    assert record.original_name == name.rsplit(".", 1)[0] + "-so-hoa.pdf"
    # Earlier files stay: digitising adds, it replaces nothing.
    assert DossierFile.objects.filter(dossier=dossier).count() == before + 1
    signed = record.file.read()
    assert signed.startswith(b"%PDF") and hashlib.sha256(signed).hexdigest() == record.sha256
    assert_signed_by_officer_and_agency(signed, counter_a, commune_a)

    document = IssuedDocument.objects.get(dossier=dossier, kind=IssuedDocument.Kind.DIGITISED)
    assert document.sha256 == record.sha256 and document.number == dossier.code
    assert result.digitisation.document == document

    paper = StoredPaper.objects.get(owner=citizen, dossier=dossier)
    assert paper.source == Source.DIGITISED
    assert paper.kind.code == "giay-chung-sinh" and paper.file.name == record.file.name
    assert result.digitisation.stored == paper

    event = AuditEvent.objects.get(object_id=dossier.code, action="digitise")
    assert event.actor == counter_a
    assert event.data["file"] == str(record.uuid) and event.data["document"] == str(document.uuid)
    assert event.data["text_layer"] is result.digitisation.text_layer


def test_without_an_applicant_account_the_copy_stays_on_the_dossier(
        procedure, commune_a, counter_a, credentials, birth_certificate, monkeypatch):
    monkeypatch.setattr(digitisation, "ocr_available", lambda: False)
    d = services.submit_at_counter(
        officer=counter_a, procedure=procedure, agency=commune_a, applicant={
            "name": "Lê Văn C", "id_number": "020190009999", "phone": "0912000111"},
        form_data=FORM, files=component_files(procedure), receive_now=True)
    assert d.applicant_id is None
    result = digitisation.digitise_component(
        officer=counter_a, dossier=d, component_id=birth_certificate.pk,
        upload=upload(scan_png(), "scan.png", "image/png"))
    assert DossierFile.objects.get(pk=result.pk).is_digitised
    assert result.digitisation.stored is None
    assert not StoredPaper.objects.exists()


def test_a_component_without_a_paper_kind_is_kept_on_the_dossier_with_a_note(
        dossier, counter_a, citizen, monkeypatch):
    monkeypatch.setattr(digitisation, "ocr_available", lambda: False)
    form_component = dossier.procedure_version.components.get(order=1)
    result = digitisation.digitise_component(
        officer=counter_a, dossier=dossier, component_id=str(form_component.pk),
        upload=upload(scan_png(), "to-khai.png", "image/png"))
    assert result.digitisation.stored is None
    assert not StoredPaper.objects.filter(owner=citizen).exists()
    assert any("chưa khai báo loại giấy tờ" in w for w in result.digitisation.warnings)


def test_a_png_with_transparency_is_flattened_on_white(dossier, counter_a, birth_certificate,
                                                       monkeypatch):
    monkeypatch.setattr(digitisation, "ocr_available", lambda: False)
    result = digitisation.digitise_component(
        officer=counter_a, dossier=dossier, component_id=birth_certificate.pk,
        upload=upload(scan_png("A", mode="RGBA"), "trong-suot.png", "image/png"))
    assert len(PdfFileReader(io.BytesIO(result.file.read())).embedded_signatures) == 2


# -- refusals ----------------------------------------------------------------------------------
def _closed(dossier, counter_a):
    return services.withdraw(actor=counter_a, dossier=dossier, reason="Người nộp rút hồ sơ")


def _other_procedure_component(dossier):
    return ComponentSpec.objects.create(
        version=dossier.procedure_version.__class__.objects.create(
            procedure=dossier.procedure.__class__.objects.create(
                national_code="2.000001.000.00.00.H37", name="Thủ tục khác",
                sector=dossier.procedure.sector, level=dossier.procedure.level),
            effective_from=dossier.procedure_version.effective_from,
            applicant_types=["citizen"], service_level=dossier.procedure_version.service_level,
            time_limit_amount=1, time_limit_unit=dossier.procedure_version.time_limit_unit),
        order=1, name="Giấy tờ của thủ tục khác")


REFUSALS = {
    "specialist": (NotAllowed, lambda d, c, ctx: {"officer": ctx["specialist"]}),
    "other commune": (NotAllowed, lambda d, c, ctx: {"officer": ctx["counter_b"]}),
    "closed dossier": (InvalidTransition, lambda d, c, ctx: {
        "dossier": _closed(d, ctx["counter_a"])}),
    "other procedure": (InvalidInput, lambda d, c, ctx: {
        "component_id": _other_procedure_component(d).pk}),
    "no such component": (InvalidInput, lambda d, c, ctx: {"component_id": "abc"}),
    "office document": (InvalidInput, lambda d, c, ctx: {
        "upload": upload(docx(), "to-khai.docx", "application/octet-stream")}),
    "empty file": (InvalidInput, lambda d, c, ctx: {
        "upload": upload(b"", "rong.pdf", "application/pdf")}),
    "unreadable pdf": (InvalidInput, lambda d, c, ctx: {
        "upload": upload(PDF_BYTES, "khong-trang.pdf", "application/pdf")}),
    "no file": (InvalidInput, lambda d, c, ctx: {"upload": None}),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_refusal_changes_nothing(case, dossier, counter_a, counter_b, specialist_a,
                                   birth_certificate):
    error, change = REFUSALS[case]
    ctx = {"specialist": specialist_a, "counter_b": counter_b, "counter_a": counter_a}
    kwargs = {"officer": counter_a, "dossier": dossier, "component_id": birth_certificate.pk,
              "upload": upload(scan_png(), "scan.png", "image/png")}
    kwargs.update(change(dossier, birth_certificate, ctx))
    files, documents = media_files(), IssuedDocument.objects.count()
    events = AuditEvent.objects.filter(action="digitise").count()
    with pytest.raises(error) as caught:
        digitisation.digitise_component(**kwargs)
    assert str(caught.value.message)
    assert not DossierFile.objects.filter(is_digitised=True).exists()
    assert IssuedDocument.objects.count() == documents
    assert not StoredPaper.objects.exists()
    assert AuditEvent.objects.filter(action="digitise").count() == events
    assert media_files() == files


def test_office_documents_are_refused_with_a_clear_message(dossier, counter_a, birth_certificate):
    with pytest.raises(InvalidInput) as caught:
        digitisation.digitise_component(
            officer=counter_a, dossier=dossier, component_id=birth_certificate.pk,
            upload=upload(docx(), "to-khai.docx", "application/octet-stream"))
    assert "văn bản văn phòng" in str(caught.value.message)
    assert caught.value.code == "not_a_scan"


def test_a_failure_while_filing_removes_the_files_already_written(
        dossier, counter_a, birth_certificate, monkeypatch):
    monkeypatch.setattr(digitisation, "ocr_available", lambda: False)

    def broken_store(*args, **kwargs):
        raise InvalidInput("Kho dữ liệu không nhận giấy tờ.")

    monkeypatch.setattr(digitisation, "store_digitised", broken_store)
    files = media_files()
    with pytest.raises(InvalidInput):
        digitisation.digitise_component(
            officer=counter_a, dossier=dossier, component_id=birth_certificate.pk,
            upload=upload(scan_png(), "scan.png", "image/png"))
    assert media_files() == files
    assert not IssuedDocument.objects.filter(kind=IssuedDocument.Kind.DIGITISED).exists()
    assert not DossierFile.objects.filter(is_digitised=True).exists()


def test_the_dossier_stays_in_its_status(dossier, counter_a, birth_certificate, monkeypatch):
    monkeypatch.setattr(digitisation, "ocr_available", lambda: False)
    digitisation.digitise_component(
        officer=counter_a, dossier=dossier, component_id=birth_certificate.pk,
        upload=upload(scan_png(), "scan.png", "image/png"))
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED


def test_an_officer_without_a_certificate_is_refused_before_ocr(
        dossier, counter_a, birth_certificate, monkeypatch):
    SigningCredential.objects.filter(officer=counter_a).update(is_active=False)

    def no_ocr_expected(pdf):
        raise AssertionError("OCR ran for a refused digitisation")

    monkeypatch.setattr(digitisation, "add_text_layer", no_ocr_expected)
    files = media_files()
    with pytest.raises(InvalidInput) as caught:
        digitisation.digitise_component(
            officer=counter_a, dossier=dossier, component_id=birth_certificate.pk,
            upload=upload(scan_png(), "scan.png", "image/png"))
    assert caught.value.code == "no_credential"
    assert media_files() == files
    assert not DossierFile.objects.filter(is_digitised=True).exists()


def test_a_dossier_closed_while_ocr_ran_is_refused(dossier, counter_a, birth_certificate,
                                                   monkeypatch):
    real = digitisation.add_text_layer

    def ocr_while_the_dossier_is_withdrawn(pdf):
        _closed(dossier, counter_a)
        return real(pdf)

    monkeypatch.setattr(digitisation, "ocr_available", lambda: False)
    monkeypatch.setattr(digitisation, "add_text_layer", ocr_while_the_dossier_is_withdrawn)
    files = media_files()
    with pytest.raises(InvalidTransition):
        digitisation.digitise_component(
            officer=counter_a, dossier=dossier, component_id=birth_certificate.pk,
            upload=upload(scan_png(), "scan.png", "image/png"))
    assert media_files() == files
    assert not IssuedDocument.objects.filter(kind=IssuedDocument.Kind.DIGITISED).exists()


def test_every_page_of_a_multi_page_tiff_with_transparency_is_kept():
    frames = [Image.new("RGBA", (300, 400), (255, 255, 255, 0)) for _ in range(3)]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:])
    pdf = digitisation.image_to_pdf(out.getvalue())
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 3


def test_a_damaged_image_is_refused_with_a_clear_message():
    with pytest.raises(InvalidInput) as caught:
        digitisation.image_to_pdf(scan_png()[:60])
    assert caught.value.code == "invalid_image"
    assert "Không đọc được ảnh quét" in str(caught.value.message)


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_an_image_too_large_to_decode_safely_is_refused(monkeypatch, mode):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # a bomb is > 2x this
    with pytest.raises(InvalidInput) as caught:
        digitisation.image_to_pdf(scan_png(size=(100, 100), mode=mode))
    assert caught.value.code == "invalid_image"
