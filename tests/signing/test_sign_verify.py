"""PAdES signing checked by pyHanko's validator, by poppler's pdfsig and by our verifier."""

import datetime as dt
from io import BytesIO

import pytest
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from digigov.core.errors import InvalidInput
from digigov.signing import pki, services, stamps
from digigov.signing.signers import signer_for
from digigov.signing.verification import verify_pdf

from .conftest import AREA, ca_key_and_cert, foreign_ca, make_pkcs12, needs_pdfsig, pdfsig

TAMPER = (b"Nguyen Van Be", b"Nguyen Van Bo")


def _context(root):
    return ValidationContext(trust_roots=[asn1_x509.Certificate.load(bytes(root.certificate))],
                             allow_fetching=False, revocation_mode="soft-fail")


def _sig_rects(data):
    reader = PdfFileReader(BytesIO(data))
    return {sig.field_name.split("_")[0]: [float(v) for v in sig.sig_field["/Rect"]]
            for sig in reader.embedded_signatures}


def test_both_signatures_intact_and_trusted_by_pyhanko(signed, ca, leader_a, commune_a):
    reader = PdfFileReader(BytesIO(signed))
    sigs = reader.embedded_signatures
    assert [s.field_name.split("_")[0] for s in sigs] == ["CaNhan", "CoQuan"]
    for sig in sigs:
        status = validate_pdf_signature(sig, _context(ca))
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert sigs[0].signer_cert.subject.native["common_name"] == leader_a.full_name
    assert sigs[1].signer_cert.subject.native["common_name"] == commune_a.name
    # Incremental: the agency's signature covers the personal one's revision and more.
    assert sigs[0].signed_revision < sigs[1].signed_revision


def test_marks_placed_between_title_and_name_with_seal_over_left_third(signed):
    rects = _sig_rects(signed)
    assert rects["CaNhan"] == [AREA.x1, AREA.y1, AREA.x2, AREA.y2]
    sx1, sy1, sx2, sy2 = rects["CoQuan"]
    third = AREA.x1 + (AREA.x2 - AREA.x1) / 3
    assert sx1 < AREA.x1 + 1 and sx2 >= third - 1  # covers the left third
    assert sx2 < AREA.x2  # and not the rest of the signature
    assert sy1 < AREA.y2 and sy2 > AREA.y1


def test_attachment_carries_agency_signature_top_right_of_page_one(
        agency_credential, commune_a, pdf_bytes):
    data = services.sign_pdf(pdf_bytes, agency=commune_a, number="05/QĐ-UBND")
    x1, y1, x2, y2 = _sig_rects(data)["CoQuan"]
    assert x2 > 595 - 30 and y2 > 842 - 30 and x1 > 595 / 2


def test_attachment_mark_text_holds_number_and_vietnam_time(agency_credential, commune_a,
                                                             pdf_bytes, monkeypatch):
    seen = {}
    original = services._sign_once

    def spy(data, signer, **kwargs):
        seen.update(kwargs["text_params"])
        return original(data, signer, **kwargs)

    monkeypatch.setattr(services, "_sign_once", spy)
    services.sign_pdf(pdf_bytes, agency=commune_a, number="05/QĐ-UBND")
    assert seen["number"] == "05/QĐ-UBND"
    moment = dt.datetime.fromisoformat(seen["vn_time"])
    assert moment.utcoffset() == dt.timedelta(hours=7)
    assert abs(moment - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)


def test_attachment_needs_the_agency(officer_credential, leader_a, pdf_bytes):
    with pytest.raises(InvalidInput):
        services.sign_pdf(pdf_bytes, officer=leader_a)


def test_not_a_pdf_is_refused(agency_credential, commune_a):
    with pytest.raises(InvalidInput) as caught:
        services.sign_pdf(b"%PDF-1.7 not really", agency=commune_a, area=AREA)
    assert caught.value.code == "invalid_pdf"


def test_verifier_reports_valid_signatures(signed, leader_a, commune_a):
    report = verify_pdf(signed)
    assert report.verdict == "valid"
    assert [s.signer for s in report.signatures] == [leader_a.full_name, commune_a.name]
    for sig in report.signatures:
        assert sig.intact and sig.trusted and sig.certificate_valid_at_signing
        assert sig.level == "B-B" and sig.signed_at.endswith("+07:00")
        assert f"UID={commune_a.code}" in report.signatures[1].subject
    assert report.signatures[1].covers_whole_file
    assert report.issued is None


def test_tampered_copy_is_reported_as_tampered(signed, ca):
    assert TAMPER[0] in signed
    tampered = signed.replace(*TAMPER)
    report = verify_pdf(tampered)
    assert report.verdict == "tampered"
    assert all(not s.intact and s.verdict == "tampered" for s in report.signatures)
    status = validate_pdf_signature(PdfFileReader(BytesIO(tampered)).embedded_signatures[0],
                                    _context(ca))
    assert not status.intact


def test_content_added_after_signing_is_reported(signed):
    """An incremental update that changes the page: signatures still intact but the
    document is no longer what was signed."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0]
    stream = generic.StreamObject(stream_data=b"BT /F1 30 Tf 72 500 Td (DA SUA) Tj ET")
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    out = BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue())
    assert report.verdict == "tampered"
    assert any(s.modified_after for s in report.signatures)


def test_signature_from_unknown_ca_is_untrusted(db, pdf_bytes):
    ca_key, ca_cert = foreign_ca("CA không được tin cậy")
    key, cert = pki.issue_signing_certificate(ca_key, ca_cert, common_name="Kẻ giả mạo")
    data = _sign_directly(pdf_bytes, key, cert)
    report = verify_pdf(data)
    assert report.verdict == "untrusted"
    (sig,) = report.signatures
    assert sig.intact and not sig.trusted and sig.certificate_valid_at_signing


def test_certificate_expired_at_signing_time_is_reported(ca, pdf_bytes):
    ca_key, ca_cert = ca_key_and_cert(ca)
    key, cert = pki.issue_signing_certificate(
        ca_key, ca_cert, common_name="Cán bộ cũ",
        not_before=dt.datetime.now(dt.UTC) - dt.timedelta(days=40), days=30)
    data = _sign_directly(pdf_bytes, key, cert)
    report = verify_pdf(data)
    assert report.verdict == "expired"
    (sig,) = report.signatures
    assert sig.intact and not sig.certificate_valid_at_signing and not sig.trusted


def test_certificate_expired_since_signing_stays_valid(ca, pdf_bytes, monkeypatch):
    """A result signed while the certificate was valid does not become invalid later."""
    from pyhanko.sign.signers import pdf_signer

    ca_key, ca_cert = ca_key_and_cert(ca)
    now = dt.datetime.now(dt.UTC)
    key, cert = pki.issue_signing_certificate(
        ca_key, ca_cert, common_name="Cán bộ cũ", not_before=now - dt.timedelta(days=40),
        days=30)

    class TwentyDaysAgo(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime.now(tz) - dt.timedelta(days=20)

    monkeypatch.setattr(pdf_signer, "datetime", TwentyDaysAgo)
    data = _sign_directly(pdf_bytes, key, cert)
    monkeypatch.undo()
    (sig,) = verify_pdf(data).signatures
    assert dt.datetime.fromisoformat(sig.signed_at) < now - dt.timedelta(days=19)
    assert sig.certificate_valid_at_signing and sig.trusted and sig.verdict == "valid"


def test_imported_certificate_is_trusted_once_its_root_is(db, leader_a, pdf_bytes):
    ca_key, ca_cert = foreign_ca("Nhà cung cấp dịch vụ chứng thực")
    key, cert = pki.issue_signing_certificate(ca_key, ca_cert, common_name="Trần Văn Ký")
    services.import_pkcs12(make_pkcs12(key, cert), "mat-khau", officer=leader_a)
    data = services.sign_pdf(pdf_bytes, officer=leader_a, area=AREA)
    assert verify_pdf(data).verdict == "untrusted"
    services.add_trust_root(pki.der(ca_cert))
    assert verify_pdf(data).verdict == "valid"


def test_unsigned_pdf(db, pdf_bytes):
    report = verify_pdf(pdf_bytes)
    assert report.verdict == "unsigned" and not report.valid


def _sign_directly(pdf_bytes, key, cert):
    """Sign outside the services (which would refuse an expired certificate)."""
    from asn1crypto import keys as asn1_keys
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(pki.der(cert)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())),
        cert_registry=SimpleCertificateStore())
    out = BytesIO()
    signers.PdfSigner(signers.PdfSignatureMetadata(
        field_name="Test", subfilter=fields.SigSeedSubFilter.PADES), signer).sign_pdf(
        IncrementalPdfFileWriter(BytesIO(pdf_bytes)), output=out)
    return out.getvalue()


# --- B-T --------------------------------------------------------------------------------

def test_timestamped_signature_with_local_tsa(signed_bt):
    report = verify_pdf(signed_bt)
    assert report.verdict == "valid"
    assert [s.level for s in report.signatures] == ["B-T", "B-T"]


@pytest.fixture
def signed_bt(settings, tsa_url, agency_credential, officer_credential, commune_a, leader_a,
              pdf_bytes):
    settings.SIGNING_TSA_URL = tsa_url
    return services.sign_pdf(pdf_bytes, officer=leader_a, agency=commune_a, area=AREA)


def test_tsa_url_must_be_http(settings, agency_credential, commune_a, pdf_bytes):
    settings.SIGNING_TSA_URL = "ftp://tsa.example.vn"
    with pytest.raises(services.SigningUnavailable) as caught:
        services.sign_pdf(pdf_bytes, agency=commune_a, area=AREA)
    assert caught.value.code == "tsa_misconfigured"


def test_unreachable_tsa_is_reported(settings, agency_credential, commune_a, pdf_bytes):
    settings.SIGNING_TSA_URL = "http://127.0.0.1:9/tsa"
    settings.SIGNING_TSA_TIMEOUT = 2
    with pytest.raises(services.SigningUnavailable) as caught:
        services.sign_pdf(pdf_bytes, agency=commune_a, area=AREA)
    assert caught.value.code == "tsa_unavailable"


# --- poppler --------------------------------------------------------------------------

@needs_pdfsig
def test_pdfsig_finds_both_signatures_valid(signed, tmp_path):
    path = tmp_path / "ket-qua.pdf"
    path.write_bytes(signed)
    out = pdfsig(path)
    assert out.count("Signature Validation: Signature is Valid.") == 2, out
    assert "ETSI.CAdES.detached" in out
    assert "Total document signed" in out


@needs_pdfsig
def test_pdfsig_reports_tampered_copy(signed, tmp_path):
    path = tmp_path / "da-sua.pdf"
    path.write_bytes(signed.replace(*TAMPER))
    out = pdfsig(path)
    assert "Signature is Valid" not in out, out
    assert out.count("Digest Mismatch") == 2, out


@needs_pdfsig
def test_pdfsig_accepts_timestamped_signatures(signed_bt, tmp_path):
    path = tmp_path / "b-t.pdf"
    path.write_bytes(signed_bt)
    assert pdfsig(path).count("Signature Validation: Signature is Valid.") == 2


def test_signer_for_uses_the_stored_key(agency_credential):
    signer = signer_for(agency_credential)
    assert signer.signing_cert.dump() == bytes(agency_credential.certificate)


def test_missing_mark_font_is_a_clear_error(settings, agency_credential, commune_a, pdf_bytes):
    settings.SIGNING_STAMP_FONT = "/khong/co/phong-chu.ttf"
    with pytest.raises(services.SigningUnavailable) as caught:
        services.sign_pdf(pdf_bytes, agency=commune_a, area=AREA)
    assert caught.value.code == "no_stamp_font"
    assert "SIGNING_STAMP_FONT" in str(caught.value)


def test_marks_write_vietnamese_with_the_shipped_font(signed):
    """The marks are drawn from the font's outlines: no font is embedded for them."""
    assert stamps.font_path().endswith((".ttf", ".otf"))
    font = stamps._font()
    assert all(font.cmap.get(ord(c)) for c in "Ký bởi Thời gian ký ĐƯỢỄ")
    reader = PdfFileReader(BytesIO(signed))
    for sig in reader.embedded_signatures:
        appearance = sig.sig_field["/AP"]["/N"]
        assert "/Font" not in appearance.get("/Resources", {})
        assert b" c " in appearance.data and b" f" in appearance.data  # glyph outlines


def test_damaged_copies_never_verify_and_never_crash(signed):
    """Flip bytes all over a signed file, or cut it short: each copy is either refused
    as unreadable or reported as not valid, never accepted and never an exception."""
    from digigov.signing.verification import UnreadablePdf

    step = max(len(signed) // 40, 1)
    copies = [signed[:cut] for cut in range(step, len(signed) - 10, step * 4)]
    for position in range(0, len(signed) - 1, step):
        damaged = bytearray(signed)
        damaged[position] ^= 0x5A
        copies.append(bytes(damaged))
    for copy in copies:
        try:
            report = verify_pdf(copy)
        except UnreadablePdf:
            continue
        assert report.verdict != "valid" or copy == signed
