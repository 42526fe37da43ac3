"""The office page's "Số hóa thành phần hồ sơ" action and POST /api/v1/dossiers/{code}/digitise."""

import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from digigov.audit.models import AuditEvent
from digigov.dossiers import digitisation
from digigov.dossiers.models import DossierFile
from digigov.signing.models import IssuedDocument
from digigov.store.models import StoredPaper
from tests.api.conftest import assert_problem, client_for

from .conftest import docx, scan_png, upload

NO_OCR = "OCR chưa được cài đặt: bản số hóa không có lớp văn bản"


@pytest.fixture
def no_ocr(monkeypatch):
    monkeypatch.setattr(digitisation, "ocr_available", lambda: False)


def detail_url(dossier):
    return reverse("office:detail", args=[dossier.uuid])


def action_url(dossier):
    return reverse("office:action", args=[dossier.uuid, "digitise"])


# -- office page -------------------------------------------------------------------------------
def test_the_counter_officer_is_offered_the_action_a_specialist_is_not(
        client, dossier, counter_a, specialist_a):
    client.force_login(counter_a)
    html = client.get(detail_url(dossier)).content.decode()
    assert "Số hóa thành phần hồ sơ" in html and 'id="action-digitise"' in html
    assert 'enctype="multipart/form-data"' in html and "Giấy chứng sinh" in html
    client.force_login(specialist_a)
    assert 'id="action-digitise"' not in client.get(detail_url(dossier)).content.decode()


def test_digitising_on_the_office_page(client, dossier, counter_a, citizen, birth_certificate,
                                       no_ocr):
    client.force_login(counter_a)
    response = client.post(action_url(dossier), {
        "digitise-component": str(birth_certificate.pk),
        "digitise-file": upload(scan_png("Giấy chứng sinh"), "chung-sinh.png", "image/png"),
    })
    assert response.status_code == 302 and response.url == detail_url(dossier)
    shown = {(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)}
    assert ("warning", NO_OCR) in shown
    assert ("success", f"Đã số hóa và ký số thành phần hồ sơ {dossier.code}.") in shown
    record = DossierFile.objects.get(dossier=dossier, is_digitised=True)
    assert record.uploaded_by == counter_a and record.component == birth_certificate
    assert StoredPaper.objects.filter(owner=citizen, dossier=dossier).exists()
    html = client.get(detail_url(dossier)).content.decode()
    assert "đã số hóa, đã ký số" in html and "chung-sinh-so-hoa.pdf" in html
    assert "Số hóa thành phần hồ sơ" in html  # the timeline entry
    download = client.get(reverse("office:file", args=[dossier.uuid, record.uuid]))
    signed = b"".join(download.streaming_content)
    assert len(PdfFileReader(io.BytesIO(signed)).embedded_signatures) == 2


def test_an_office_document_is_refused_on_the_page_and_nothing_changes(
        client, dossier, counter_a, birth_certificate):
    client.force_login(counter_a)
    before = DossierFile.objects.count()
    response = client.post(action_url(dossier), {
        "digitise-component": str(birth_certificate.pk),
        "digitise-file": upload(docx(), "to-khai.docx", "application/octet-stream"),
    })
    assert response.status_code == 422
    html = response.content.decode()
    assert 'role="alert"' in html and "là văn bản văn phòng: hãy in ra và quét" in html
    assert DossierFile.objects.count() == before
    assert not IssuedDocument.objects.exists()


def test_a_missing_file_is_a_form_error(client, dossier, counter_a, birth_certificate):
    client.force_login(counter_a)
    response = client.post(action_url(dossier), {"digitise-component": str(birth_certificate.pk)})
    assert response.status_code == 400
    assert not DossierFile.objects.filter(is_digitised=True).exists()


# -- API ---------------------------------------------------------------------------------------
def test_digitising_through_the_api(dossier, counter_a, citizen, birth_certificate, no_ocr):
    response = client_for(counter_a).post_multipart(
        f"/api/v1/dossiers/{dossier.code}/digitise",
        {"component": str(birth_certificate.pk),
         "file": upload(scan_png("Giấy chứng sinh"), "chung-sinh.png", "image/png")})
    assert response.status_code == 200, response.content
    body = response.json()
    record = DossierFile.objects.get(dossier=dossier, is_digitised=True)
    assert body["dossier"] == dossier.code
    assert body["file"]["uuid"] == str(record.uuid) and body["file"]["is_digitised"] is True
    assert body["file"]["content_type"] == "application/pdf"
    assert body["document"] == str(IssuedDocument.objects.get(dossier=dossier).uuid)
    assert body["stored_paper"] == str(StoredPaper.objects.get(owner=citizen).uuid)
    assert body["text_layer"] is False and body["warnings"] == [NO_OCR]
    assert AuditEvent.objects.filter(object_id=dossier.code, action="digitise").count() == 1


def test_the_api_refuses_a_specialist_and_an_unknown_paper_kind(
        dossier, counter_a, specialist_a, birth_certificate, no_ocr):
    path = f"/api/v1/dossiers/{dossier.code}/digitise"
    refused = client_for(specialist_a).post_multipart(path, {
        "component": str(birth_certificate.pk),
        "file": upload(scan_png(), "scan.png", "image/png")})
    assert_problem(refused, 403)
    unknown = client_for(counter_a).post_multipart(path, {
        "component": str(birth_certificate.pk), "kind": "khong-co",
        "file": upload(scan_png(), "scan.png", "image/png")})
    body = assert_problem(unknown, 422)
    assert "khong-co" in body["detail"]
    missing = client_for(counter_a).post_multipart(path, {"component": str(birth_certificate.pk)})
    assert_problem(missing, 422)
    assert not DossierFile.objects.filter(is_digitised=True).exists()
    assert not IssuedDocument.objects.exists()
