"""Issuing documents (register, audit) and the public verification page and API."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from digigov.audit.models import AuditEvent
from digigov.core.errors import InvalidInput, NotAllowed
from digigov.signing import services
from digigov.signing.models import IssuedDocument

from .conftest import AREA
from .test_sign_verify import TAMPER

API = "/api/v1/verifications"


@pytest.fixture
def issued(agency_credential, officer_credential, commune_a, leader_a, pdf_bytes):
    return services.issue_document(pdf_bytes, kind="result", title="Giấy khai sinh",
                                   number="12/GKS", issued_by=leader_a, officer=leader_a,
                                   agency=commune_a, area=AREA)


def _upload(data, name="ket-qua.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_issue_records_the_signed_file_and_an_audit_event(issued, leader_a, commune_a):
    stored = issued.file.read()
    assert hashlib.sha256(stored).hexdigest() == issued.sha256
    assert [s["role"] for s in issued.signers] == ["officer", "agency"]
    assert commune_a.code in issued.signers[1]["subject"]
    event = AuditEvent.objects.get(action="signing.document_issued")
    assert event.object_id == str(issued.pk) and event.actor == leader_a
    assert event.data["sha256"] == issued.sha256


def test_only_the_holder_uses_a_personal_key(officer_credential, agency_credential, leader_a,
                                             specialist_a, commune_a, pdf_bytes):
    with pytest.raises(NotAllowed):
        services.issue_document(pdf_bytes, kind="result", title="Giấy khai sinh",
                                issued_by=specialist_a, officer=leader_a, agency=commune_a,
                                area=AREA)
    assert not IssuedDocument.objects.exists()


def test_agency_seal_only_by_its_own_staff(agency_credential, counter_b, commune_a, pdf_bytes):
    with pytest.raises(NotAllowed):
        services.issue_document(pdf_bytes, kind="attachment", title="Phụ lục",
                                issued_by=counter_b, agency=commune_a)
    assert not IssuedDocument.objects.exists()


def test_issue_refuses_bad_kind_and_empty_title(agency_credential, leader_a, commune_a,
                                                pdf_bytes):
    for kind, title in (("bogus", "Giấy khai sinh"), ("result", "  ")):
        with pytest.raises(InvalidInput):
            services.issue_document(pdf_bytes, kind=kind, title=title, issued_by=leader_a,
                                    agency=commune_a)
    assert not IssuedDocument.objects.exists()


def test_issue_with_expired_certificate_records_nothing(agency_credential, leader_a, commune_a,
                                                         pdf_bytes):
    import datetime as dt

    type(agency_credential).objects.filter(pk=agency_credential.pk).update(
        not_after=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    with pytest.raises(InvalidInput) as caught:
        services.issue_document(pdf_bytes, kind="attachment", title="Phụ lục",
                                issued_by=leader_a, agency=commune_a)
    assert caught.value.code == "certificate_expired"
    assert not IssuedDocument.objects.exists()
    assert not AuditEvent.objects.filter(action="signing.document_issued").exists()


# --- the public page ----------------------------------------------------------------------

def test_verify_page_shows_the_form(client, db):
    response = client.get(reverse("signing:verify"))
    assert response.status_code == 200
    assert "Xác thực văn bản điện tử" in response.content.decode()


def test_verify_page_reports_an_issued_document(client, issued, leader_a):
    response = client.post(reverse("signing:verify"), {"file": _upload(issued.file.read())})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hợp lệ" in page
    assert "Tệp trùng khớp với văn bản đã ban hành" in page
    assert leader_a.full_name in page
    assert reverse("signing:issued", args=[issued.uuid]) in page


def test_verify_page_reports_a_tampered_copy(client, issued):
    tampered = issued.file.read().replace(*TAMPER)
    page = client.post(reverse("signing:verify"), {"file": _upload(tampered)}).content.decode()
    assert "Đã bị thay đổi sau khi ký" in page
    assert "Tệp không trùng với văn bản nào" in page


def test_verify_page_refuses_a_non_pdf(client, db):
    response = client.post(reverse("signing:verify"),
                           {"file": _upload(b"hello", "thu.txt")})
    assert response.status_code == 422
    assert "Tệp không phải là PDF" in response.content.decode()


def test_verify_page_needs_a_file(client, db):
    response = client.post(reverse("signing:verify"), {})
    assert response.status_code == 422
    assert "Hãy chọn tệp PDF" in response.content.decode()


def test_issued_record_page_compares_a_copy(client, issued):
    url = reverse("signing:issued", args=[issued.uuid])
    page = client.get(url).content.decode()
    assert "12/GKS" in page and "Giấy khai sinh" in page and issued.sha256 in page
    same = client.post(url, {"file": _upload(issued.file.read())}).content.decode()
    assert "trùng khớp hoàn toàn" in same
    issued.file.seek(0)
    other = client.post(url, {"file": _upload(issued.file.read().replace(*TAMPER))})
    assert "KHÁC bản đã ban hành" in other.content.decode()


def test_pages_show_no_personal_data_beyond_the_document(client, issued, leader_a):
    """The officer's certificate names them by a public identifier, not their login."""
    record = client.get(reverse("signing:issued", args=[issued.uuid])).content.decode()
    report = client.post(reverse("signing:verify"),
                         {"file": _upload(issued.file.read())}).content.decode()
    for page in (record, report):
        assert leader_a.email not in page
        assert str(leader_a.uuid) in page


def test_unknown_record_is_404(client, db):
    response = client.get(reverse("signing:issued",
                                  args=["00000000-0000-4000-8000-000000000000"]))
    assert response.status_code == 404


# --- the API --------------------------------------------------------------------------

def test_api_verifies_a_signed_pdf(client, issued, commune_a):
    response = client.post(API, {"file": _upload(issued.file.read())})
    assert response.status_code == 200
    body = response.json()
    assert body["verdict"] == "valid" and body["valid"] is True
    assert body["matches_issued_record"] is True
    assert body["issued"]["uuid"] == str(issued.uuid)
    assert body["issued"]["number"] == "12/GKS"
    assert [s["level"] for s in body["signatures"]] == ["B-B", "B-B"]
    agency_sig = body["signatures"][1]
    assert agency_sig["signer"] == commune_a.name
    assert agency_sig["intact"] and agency_sig["trusted"]
    assert agency_sig["certificate_valid_at_signing"]
    assert agency_sig["signed_at"].endswith("+07:00")


def test_api_reports_tampering(client, issued):
    body = client.post(API, {"file": _upload(issued.file.read().replace(*TAMPER))}).json()
    assert body["verdict"] == "tampered" and body["matches_issued_record"] is False
    assert all(not s["intact"] for s in body["signatures"])


def test_api_refuses_non_pdf_with_a_problem(client, db):
    response = client.post(API, {"file": _upload(b"GIF89a....", "anh.gif")})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert "file" in response.json()["errors"]


def test_api_requires_the_file(client, db):
    response = client.post(API, {})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")


def test_api_damaged_pdf_is_a_clear_error(client, db):
    response = client.post(API, {"file": _upload(b"%PDF-1.7\n garbage without structure")})
    assert response.status_code == 422
    assert "Không đọc được tệp PDF" in response.json()["detail"]


def test_api_truncated_signed_pdf_is_not_valid(client, issued):
    """A copy cut short (an interrupted download) must never come out as valid."""
    data = issued.file.read()
    response = client.post(API, {"file": _upload(data[: len(data) * 2 // 3])})
    assert response.status_code == 422 or response.json()["verdict"] != "valid"


def test_admin_lists_registers_without_keys(client, issued, agency_credential, django_user_model):
    admin_user = django_user_model.objects.create_superuser(
        email="quantri@example.vn", password="Mat-khau-2025!", full_name="Quản trị")
    client.force_login(admin_user)
    page = client.get(reverse("admin:signing_signingcredential_change",
                              args=[agency_credential.pk])).content.decode()
    assert agency_credential.fingerprint in page
    assert "encrypted_key" not in page and "DGK1" not in page
    listing = client.get(reverse("admin:signing_issueddocument_changelist"))
    assert listing.status_code == 200 and "12/GKS" in listing.content.decode()
    assert client.get(reverse("admin:signing_trustroot_add")).status_code == 403
