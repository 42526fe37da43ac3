"""The local CA, issued certificates, PKCS#12 import and its refusals, the commands."""

import datetime as dt

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from django.core.management import CommandError, call_command

from digigov.audit.models import AuditEvent
from digigov.core.errors import InvalidInput
from digigov.signing import pki, services
from digigov.signing.models import SigningCredential, TrustRoot

from .conftest import ca_key_and_cert, foreign_ca, make_pkcs12, tls_server_certificate


def _cert(credential) -> x509.Certificate:
    return pki.load_certificate(bytes(credential.certificate))


def test_local_ca_is_a_trusted_root_that_only_signs_certificates(ca):
    cert = pki.load_certificate(bytes(ca.certificate))
    assert ca.is_local_ca
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign and not usage.digital_signature
    assert AuditEvent.objects.filter(action="signing.ca_created").count() == 1


def test_second_local_ca_is_refused(ca):
    with pytest.raises(InvalidInput):
        services.create_local_ca("CA thứ hai")
    assert TrustRoot.objects.count() == 1


def test_agency_certificate_names_the_agency_and_its_organ_code(agency_credential, commune_a):
    cert = _cert(agency_credential)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == commune_a.name
    assert cert.subject.get_attributes_for_oid(NameOID.USER_ID)[0].value == commune_a.code
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert pki.DOCUMENT_SIGNING_EKU in cert.extensions.get_extension_for_class(
        x509.ExtendedKeyUsage).value
    pki.check_can_sign(cert)


def test_officer_certificate_names_the_officer(officer_credential, leader_a, commune_a):
    cert = _cert(officer_credential)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == \
        leader_a.full_name
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == \
        commune_a.name


def test_new_certificate_replaces_the_active_one(agency_credential, commune_a):
    newer = services.issue_credential(agency=commune_a, key_type="ec")
    agency_credential.refresh_from_db()
    assert not agency_credential.is_active and newer.is_active
    assert services.active_credential(agency=commune_a) == newer


def test_citizen_gets_no_signing_certificate(ca, citizen):
    with pytest.raises(InvalidInput):
        services.issue_credential(officer=citizen)
    assert not SigningCredential.objects.exists()


def test_issue_without_local_ca_is_refused(commune_a):
    with pytest.raises(InvalidInput) as caught:
        services.issue_credential(agency=commune_a)
    assert caught.value.code == "no_local_ca"


def _real_certificate(days_valid=365, start_days_ago=1):
    ca_key, ca_cert = foreign_ca("Nhà cung cấp dịch vụ chứng thực")
    key, cert = pki.issue_signing_certificate(
        ca_key, ca_cert, common_name="Trần Văn Ký", organization="UBND xã A",
        not_before=dt.datetime.now(dt.UTC) - dt.timedelta(days=start_days_ago),
        days=days_valid)
    return key, cert, ca_cert


def test_pkcs12_import_keeps_key_encrypted_and_the_chain_without_root(db, leader_a):
    key, cert, ca_cert = _real_certificate()
    credential = services.import_pkcs12(make_pkcs12(key, cert, extra=[ca_cert]), "mat-khau",
                                        officer=leader_a)
    assert credential.source == SigningCredential.Source.PKCS12
    assert credential.fingerprint == pki.fingerprint(cert)
    assert credential.chain_pem == ""  # the provider's root is trusted separately, if at all
    assert b"PRIVATE KEY" not in bytes(credential.encrypted_key)


@pytest.mark.parametrize("password", ["sai-mat-khau", ""])
def test_pkcs12_wrong_password_is_refused(db, leader_a, password):
    key, cert, _ = _real_certificate()
    with pytest.raises(pki.CertificateRefused, match="password"):
        services.import_pkcs12(make_pkcs12(key, cert), password, officer=leader_a)
    assert not SigningCredential.objects.exists()


def test_expired_pkcs12_is_refused(db, leader_a):
    key, cert, _ = _real_certificate(days_valid=30, start_days_ago=60)
    with pytest.raises(pki.CertificateRefused, match="expired"):
        services.import_pkcs12(make_pkcs12(key, cert), "mat-khau", officer=leader_a)
    assert not SigningCredential.objects.exists()


def test_tls_certificate_is_refused_for_signing(db, commune_a):
    ca_key, ca_cert = foreign_ca()
    key, cert = tls_server_certificate(ca_key, ca_cert)
    with pytest.raises(pki.CertificateRefused, match="document signing"):
        services.import_pkcs12(make_pkcs12(key, cert), "mat-khau", agency=commune_a)


def test_ca_certificate_is_refused_for_signing(db, commune_a):
    ca_key, ca_cert = foreign_ca()
    with pytest.raises(pki.CertificateRefused, match="CA certificate"):
        services.import_pkcs12(make_pkcs12(ca_key, ca_cert), "mat-khau", agency=commune_a)


def test_same_certificate_twice_is_refused(db, leader_a):
    key, cert, _ = _real_certificate()
    data = make_pkcs12(key, cert)
    services.import_pkcs12(data, "mat-khau", officer=leader_a)
    with pytest.raises(InvalidInput):
        services.import_pkcs12(data, "mat-khau", officer=leader_a)


def test_expired_certificate_is_refused_when_signing(ca, commune_a, pdf_bytes):
    ca_key, ca_cert = ca_key_and_cert(ca)
    credential = services.issue_credential(agency=commune_a, days=1)
    SigningCredential.objects.filter(pk=credential.pk).update(
        not_after=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
    with pytest.raises(InvalidInput) as caught:
        services.sign_pdf(pdf_bytes, agency=commune_a)
    assert caught.value.code == "certificate_expired"


# --- commands -----------------------------------------------------------------------------

def test_commands_create_ca_issue_and_list(db, commune_a, leader_a, capsys):
    call_command("signing_ca", "init", "--name", "CA tỉnh Lạng Sơn")
    call_command("signing_issue", "agency", commune_a.code)
    call_command("signing_issue", "officer", leader_a.login, "--key-type", "ec")
    call_command("signing_list")
    out = capsys.readouterr().out
    assert "CA tỉnh Lạng Sơn" in out
    assert f"agency   {commune_a.code}" in out
    assert f"officer  {leader_a.login}" in out
    assert SigningCredential.objects.filter(is_active=True).count() == 2


def test_issue_command_refuses_unknown_agency(ca):
    with pytest.raises(CommandError, match="No agency"):
        call_command("signing_issue", "agency", "000.99.99.H99")


def test_import_command_reads_password_from_env(db, leader_a, tmp_path, monkeypatch):
    key, cert, ca_cert = _real_certificate()
    p12 = tmp_path / "ky-so.p12"
    p12.write_bytes(make_pkcs12(key, cert))
    root = tmp_path / "root.pem"
    root.write_bytes(ca_cert.public_bytes(pki.serialization.Encoding.PEM))
    monkeypatch.setenv("SIGNING_PKCS12_PASSWORD", "mat-khau")
    call_command("signing_import", "officer", leader_a.login, str(p12))
    call_command("signing_import", "root", str(root), "--label", "Nhà cung cấp")
    assert SigningCredential.objects.get().officer == leader_a
    assert TrustRoot.objects.get().label == "Nhà cung cấp"


def test_import_command_refuses_expired_with_reason(db, leader_a, tmp_path, monkeypatch):
    key, cert, _ = _real_certificate(days_valid=30, start_days_ago=60)
    p12 = tmp_path / "het-han.p12"
    p12.write_bytes(make_pkcs12(key, cert))
    monkeypatch.setenv("SIGNING_PKCS12_PASSWORD", "mat-khau")
    with pytest.raises(CommandError, match="Refused: The certificate expired"):
        call_command("signing_import", "officer", leader_a.login, str(p12))
    assert not SigningCredential.objects.exists()


def test_pkcs11_without_configuration_says_what_is_missing(ca, commune_a, pdf_bytes, settings):
    settings.SIGNING_PKCS11_MODULE = ""
    key, cert, _ = _real_certificate()
    services.register_pkcs11(pki.der(cert), "khoa-co-quan", agency=commune_a)
    with pytest.raises(services.SigningUnavailable, match="SIGNING_PKCS11_MODULE"):
        services.sign_pdf(pdf_bytes, agency=commune_a)


def test_pkcs11_with_missing_library_is_reported(ca, commune_a, pdf_bytes, settings):
    settings.SIGNING_PKCS11_MODULE = "/khong/co/libsofthsm2.so"
    settings.SIGNING_PKCS11_TOKEN_LABEL = "digigov"
    key, cert, _ = _real_certificate()
    services.register_pkcs11(pki.der(cert), "khoa-co-quan", agency=commune_a)
    with pytest.raises(services.SigningUnavailable, match="PKCS#11 token"):
        services.sign_pdf(pdf_bytes, agency=commune_a)


def test_ca_export_prints_the_certificate(ca, capsys):
    call_command("signing_ca", "export")
    pem = capsys.readouterr().out
    assert pem.startswith("-----BEGIN CERTIFICATE-----")
    assert pki.fingerprint(pki.load_certificate(pem.encode())) == ca.fingerprint


def test_ca_export_without_ca(db):
    with pytest.raises(CommandError, match="no local CA"):
        call_command("signing_ca", "export")
