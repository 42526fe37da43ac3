"""The OCR adapter: a Vietnamese text layer when tesseract (vie) is installed, else a warning."""

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader

from digigov.dossiers import digitisation

from .conftest import scan_png, upload

WORDS = "Giấy chứng sinh"

needs_ocr = pytest.mark.skipif(
    not digitisation.ocr_available(),
    reason="OCRmyPDF or tesseract with the Vietnamese model (tesseract-ocr-vie) is not installed")


def text_of(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@needs_ocr
def test_a_scan_with_vietnamese_text_gets_a_text_layer():
    pdf = digitisation.image_to_pdf(scan_png(WORDS, size=(1400, 300)))
    assert text_of(pdf).strip() == ""
    outcome = digitisation.add_text_layer(pdf)
    assert outcome.text_layer and not outcome.warning
    text = text_of(outcome.pdf)
    for word in WORDS.split():
        assert word in text


@needs_ocr
def test_the_signed_copy_keeps_the_text_layer(dossier, counter_a, birth_certificate):
    result = digitisation.digitise_component(
        officer=counter_a, dossier=dossier, component_id=birth_certificate.pk,
        upload=upload(scan_png(WORDS, size=(1400, 300)), "chung-sinh.png", "image/png"))
    assert result.digitisation.text_layer and result.digitisation.warnings == []
    signed = result.file.read()
    assert len(PdfFileReader(io.BytesIO(signed)).embedded_signatures) == 2
    assert "chứng" in text_of(signed)


def test_without_ocr_the_copy_is_signed_and_the_warning_returned(
        dossier, counter_a, birth_certificate, monkeypatch):
    monkeypatch.setattr(digitisation, "ocr_available", lambda: False)
    result = digitisation.digitise_component(
        officer=counter_a, dossier=dossier, component_id=birth_certificate.pk,
        upload=upload(scan_png(WORDS), "chung-sinh.png", "image/png"))
    assert result.is_digitised and not result.digitisation.text_layer
    assert result.digitisation.warnings == [
        "OCR chưa được cài đặt: bản số hóa không có lớp văn bản"]
    assert len(PdfFileReader(io.BytesIO(result.file.read())).embedded_signatures) == 2


def test_an_ocr_failure_is_a_warning_not_a_refusal(dossier, counter_a, birth_certificate,
                                                   monkeypatch):
    monkeypatch.setattr(digitisation, "ocr_available", lambda: True)
    # The child process cannot start: OCR fails, digitisation goes on.
    monkeypatch.setattr(digitisation.sys, "executable", "/nonexistent/python")
    result = digitisation.digitise_component(
        officer=counter_a, dossier=dossier, component_id=birth_certificate.pk,
        upload=upload(scan_png(WORDS), "chung-sinh.png", "image/png"))
    assert not result.digitisation.text_layer
    assert result.digitisation.warnings == [digitisation.ocr_failed_message()]
    assert len(PdfFileReader(io.BytesIO(result.file.read())).embedded_signatures) == 2


def test_availability_needs_the_vietnamese_model(monkeypatch):
    class Listed:
        stdout = 'List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (2):\n' \
                 "eng\nosd\n"

    digitisation.ocr_available.cache_clear()
    monkeypatch.setattr(digitisation.importlib.util, "find_spec", lambda name: object())
    monkeypatch.setattr(digitisation.shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setattr(digitisation.subprocess, "run", lambda *a, **k: Listed())
    try:
        assert digitisation.ocr_available() is False
        digitisation.ocr_available.cache_clear()
        Listed.stdout += "vie\n"
        assert digitisation.ocr_available() is True
    finally:
        digitisation.ocr_available.cache_clear()


@needs_ocr
def test_a_pdf_already_signed_is_digitised_without_ocr_and_with_a_warning(
        dossier, counter_a, birth_certificate, monkeypatch):
    monkeypatch.setattr(digitisation, "ocr_available", lambda: False)
    first = digitisation.digitise_component(
        officer=counter_a, dossier=dossier, component_id=birth_certificate.pk,
        upload=upload(scan_png(WORDS), "chung-sinh.png", "image/png"))
    monkeypatch.undo()
    signed = first.file.read()
    # OCRmyPDF refuses to change a signed PDF: the copy is still digitised and signed again.
    again = digitisation.digitise_component(
        officer=counter_a, dossier=dossier, component_id=birth_certificate.pk,
        upload=upload(signed, "da-ky.pdf", "application/pdf"))
    assert again.digitisation.warnings == [digitisation.ocr_failed_message()]
    data = again.file.read()
    assert data.startswith(signed)  # signed incrementally: the earlier signatures stay intact
    assert len(PdfFileReader(io.BytesIO(data)).embedded_signatures) == 4


def test_a_born_digital_pdf_keeps_its_text_and_needs_no_ocr_run(monkeypatch):
    from digigov.demo.pdf import make_pdf

    def no_child_process(*args, **kwargs):
        raise AssertionError("OCR ran on a PDF that already has text")

    monkeypatch.setattr(digitisation, "ocr_available", lambda: True)
    monkeypatch.setattr(digitisation.subprocess, "run", no_child_process)
    outcome = digitisation.add_text_layer(make_pdf("Giay khai sinh", "Ban sao dien tu"))
    assert outcome.text_layer and not outcome.warning
    assert "giay khai sinh" in text_of(outcome.pdf).lower()


def test_without_ocr_a_scan_is_rewritten_with_a_clean_cross_reference_table(monkeypatch):
    from .conftest import scan_pdf

    monkeypatch.setattr(digitisation, "ocr_available", lambda: False)
    original = scan_pdf()
    with pytest.raises(Exception, match="generation"):
        PdfFileReader(io.BytesIO(original), strict=True).xrefs  # noqa: B018
    outcome = digitisation.add_text_layer(original)
    assert not outcome.text_layer
    reader = PdfFileReader(io.BytesIO(outcome.pdf), strict=True)
    assert int(reader.root["/Pages"]["/Count"]) == 1
