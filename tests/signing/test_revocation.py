"""Revoking a certificate: the local CA's revocation list names it, and the verifier says so."""

import datetime as dt

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtensionOID
from django.core.management import CommandError, call_command

from digigov.audit.models import AuditEvent
from digigov.core.errors import InvalidInput
from digigov.signing import pki, services
from digigov.signing.models import SigningCredential
from digigov.signing.verification import verify_pdf

from .conftest import AREA


def _crl() -> x509.CertificateRevocationList:
    return x509.load_der_x509_crl(services.local_crl())


def test_the_crl_is_signed_by_the_local_ca_and_lists_revoked_certificates(
        ca, agency_credential, officer_credential):
    ca_cert = pki.load_certificate(bytes(ca.certificate))
    assert _crl().is_signature_valid(ca_cert.public_key())
    assert len(list(_crl())) == 0
    services.revoke_credential(officer_credential, reason="Mất thiết bị lưu khóa")
    crl = _crl()
    assert crl.is_signature_valid(ca_cert.public_key())
    entry = crl.get_revoked_certificate_by_serial_number(int(officer_credential.serial, 16))
    assert entry is not None
    assert crl.get_revoked_certificate_by_serial_number(int(agency_credential.serial, 16)) is None


def test_certificates_name_where_the_crl_is_published(settings, agency_credential, client):
    cert = pki.load_certificate(bytes(agency_credential.certificate))
    points = cert.extensions.get_extension_for_oid(ExtensionOID.CRL_DISTRIBUTION_POINTS).value
    url = points[0].full_name[0].value
    assert url == settings.PUBLIC_BASE_URL.rstrip("/") + "/xac-thuc/crl/"
    response = client.get("/xac-thuc/crl/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pkix-crl"
    assert x509.load_der_x509_crl(response.content).issuer == cert.issuer


def test_no_crl_without_a_local_ca(db, client):
    assert services.local_crl() is None
    assert client.get("/xac-thuc/crl/").status_code == 404


def test_a_signature_without_time_stamp_is_reported_revoked(signed, officer_credential,
                                                            leader_a):
    assert verify_pdf(signed).verdict == "valid"
    services.revoke_credential(officer_credential, reason="Cán bộ đã nghỉ việc")
    report = verify_pdf(signed)
    assert report.verdict == "revoked"
    personal, seal = report.signatures
    assert personal.signer == leader_a.full_name and personal.revoked
    assert personal.verdict == "revoked" and not personal.trusted
    assert not seal.revoked and seal.verdict == "valid"


def test_a_time_stamp_before_the_revocation_keeps_the_signature_valid(
        settings, tsa_url, agency_credential, officer_credential, commune_a, leader_a,
        pdf_bytes):
    settings.SIGNING_TSA_URL = tsa_url
    signed = services.sign_pdf(pdf_bytes, officer=leader_a, agency=commune_a, area=AREA)
    services.revoke_credential(officer_credential, reason="Cán bộ đã nghỉ việc",
                               now=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1))
    report = verify_pdf(signed)
    assert report.verdict == "valid"
    assert all(s.level == "B-T" and not s.revoked for s in report.signatures)


def test_a_revoked_certificate_signs_nothing_more(officer_credential, agency_credential,
                                                  leader_a, commune_a, pdf_bytes):
    services.revoke_credential(officer_credential, reason="Lộ khóa bí mật")
    with pytest.raises(InvalidInput) as caught:
        services.sign_pdf(pdf_bytes, officer=leader_a, agency=commune_a, area=AREA)
    assert caught.value.code == "no_credential"


def test_revocation_needs_a_reason_and_happens_once(officer_credential):
    with pytest.raises(InvalidInput):
        services.revoke_credential(officer_credential, reason="  ")
    officer_credential.refresh_from_db()
    assert officer_credential.revoked_at is None and officer_credential.is_active
    services.revoke_credential(officer_credential, reason="Lộ khóa bí mật")
    with pytest.raises(InvalidInput) as caught:
        services.revoke_credential(officer_credential, reason="Lần nữa")
    assert caught.value.code == "already_revoked"
    events = AuditEvent.objects.filter(action="signing.credential_revoked")
    assert events.count() == 1 and events.get().data["reason"] == "Lộ khóa bí mật"


def test_revoke_command(officer_credential, capsys):
    call_command("signing_revoke", officer_credential.fingerprint[:12], reason="Mất USB ký số")
    assert "Revoked" in capsys.readouterr().out
    credential = SigningCredential.objects.get(pk=officer_credential.pk)
    assert credential.revoked_at is not None and not credential.is_active
    with pytest.raises(CommandError, match="Nothing changed"):
        call_command("signing_revoke", officer_credential.fingerprint[:12], reason="Lần nữa")
    with pytest.raises(CommandError, match="No signing certificate"):
        call_command("signing_revoke", "00000000ffff", reason="x")
    call_command("signing_list")
    assert "revoked" in capsys.readouterr().out


def test_the_verification_page_and_api_show_the_revocation(signed, officer_credential, client,
                                                           leader_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.revoke_credential(officer_credential, reason="Cán bộ đã nghỉ việc")
    upload = SimpleUploadedFile("ket-qua.pdf", signed, content_type="application/pdf")
    page = client.post("/xac-thuc/", {"file": upload})
    assert "Chứng thư đã bị thu hồi trước khi ký" in page.content.decode()
    client.force_login(leader_a)
    upload.seek(0)
    answer = client.post("/api/v1/verifications", {"file": upload})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["verdict"] == "revoked"
    assert [s["revoked"] for s in body["signatures"]] == [True, False]


def test_the_crl_is_kept_until_a_revocation_or_its_renewal(ca, officer_credential, monkeypatch):
    first = services.local_crl()
    # Verifications read the kept list: no CA signature per verification.
    monkeypatch.setattr(services.keystore, "decrypt_private_key",
                        lambda blob: (_ for _ in ()).throw(AssertionError("CRL signed again")))
    assert services.local_crl() == first
    monkeypatch.undo()
    services.revoke_credential(officer_credential, reason="Lộ khóa bí mật")
    after = services.local_crl()
    assert after != first and len(list(x509.load_der_x509_crl(after))) == 1
    # Near its next update the list is signed anew, with the same entries.
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=services.CRL_VALID_DAYS - 0.5)
    renewed = services.local_crl(now=later)
    assert renewed != after
    assert x509.load_der_x509_crl(renewed).next_update_utc > later
    assert len(list(x509.load_der_x509_crl(renewed))) == 1
