"""Verify the signatures in any PDF against this instance's trust roots.

Reports, for each signature: intact or not, trusted or not, who signed, when,
whether the certificate was valid at that time, B-B or B-T; and whether the file
is a copy of a document this instance issued.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import asdict, dataclass, field
from io import BytesIO
from zoneinfo import ZoneInfo

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext

from digigov.core.errors import InvalidInput

from . import conf
from .models import IssuedDocument, TrustRoot
from .services import local_crl

logger = logging.getLogger(__name__)
VN = ZoneInfo("Asia/Ho_Chi_Minh")

# Verdicts, worst first; the page and the API show their translated labels.
TAMPERED = "tampered"
REVOKED = "revoked"
EXPIRED = "expired"
UNTRUSTED = "untrusted"
VALID = "valid"
VERDICT_LABELS = {
    VALID: gettext_lazy("Hợp lệ"),
    TAMPERED: gettext_lazy("Đã bị thay đổi sau khi ký"),
    REVOKED: gettext_lazy("Chứng thư đã bị thu hồi trước khi ký"),
    EXPIRED: gettext_lazy("Chứng thư không còn hiệu lực khi ký"),
    UNTRUSTED: gettext_lazy("Chứng thư không do tổ chức tin cậy cấp"),
    "unsigned": gettext_lazy("Tệp không có chữ ký số"),
}
# Personal and seal certificates may carry either usage.
_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"},
                                 match_all_key_usages=False)


class UnreadablePdf(ValueError):
    """Not a PDF, or too damaged to find its signatures."""


@dataclass
class SignatureReport:
    field: str
    signer: str
    subject: str
    issuer: str
    signed_at: str | None
    level: str  # "B-B" or "B-T"
    intact: bool
    trusted: bool
    revoked: bool
    certificate_valid_at_signing: bool
    covers_whole_file: bool
    modified_after: bool
    verdict: str


@dataclass
class DocumentReport:
    sha256: str
    signatures: list[SignatureReport] = field(default_factory=list)
    issued: IssuedDocument | None = None

    @property
    def verdict(self) -> str:
        if not self.signatures:
            return "unsigned"
        for worst in (TAMPERED, REVOKED, EXPIRED, UNTRUSTED):
            if any(s.verdict == worst for s in self.signatures):
                return worst
        return VALID

    @property
    def valid(self) -> bool:
        return self.verdict == VALID

    def as_dict(self) -> dict:
        issued = None
        if self.issued is not None:
            issued = {"uuid": str(self.issued.uuid), "kind": self.issued.kind,
                      "title": self.issued.title, "number": self.issued.number,
                      "issued_at": self.issued.issued_at.astimezone(VN).isoformat()}
        return {"sha256": self.sha256, "verdict": self.verdict, "valid": self.valid,
                "matches_issued_record": self.issued is not None, "issued": issued,
                "signatures": [asdict(s) for s in self.signatures]}


def read_upload(upload) -> bytes:
    """The bytes of an uploaded PDF, or a clear refusal."""
    if upload is None:
        raise InvalidInput(_("Hãy chọn tệp PDF cần kiểm tra."),
                           fields={"file": [_("Bắt buộc.")]})
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise InvalidInput(
            _("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": settings.UPLOAD_MAX_BYTES // 2**20},
            fields={"file": [_("Tệp quá lớn.")]})
    data = upload.read()
    if b"%PDF-" not in data[:1024]:
        raise InvalidInput(_("Tệp không phải là PDF."), fields={"file": [_("Không phải PDF.")]})
    return data


def verify_upload(upload) -> DocumentReport:
    data = read_upload(upload)
    try:
        return verify_pdf(data)
    except UnreadablePdf as exc:
        raise InvalidInput(_("Không đọc được tệp PDF (tệp hỏng hoặc không đúng định dạng)."),
                           fields={"file": [_("Tệp hỏng.")]}) from exc


def trust_roots() -> list[asn1_x509.Certificate]:
    return [asn1_x509.Certificate.load(bytes(root.certificate))
            for root in TrustRoot.objects.order_by("pk")]


def _context(roots, crls, moment: dt.datetime | None) -> ValidationContext:
    # The local CA's revocation list is always consulted (it is built here, no network).
    # Other CAs' CRLs and OCSP answers are fetched only where the instance may reach
    # them (SIGNING_FETCH_REVOCATION); without them a certificate counts as not revoked
    # (soft-fail), as most closed government networks require.
    return ValidationContext(trust_roots=roots, crls=crls,
                             allow_fetching=conf.fetch_revocation(),
                             revocation_mode="soft-fail", moment=moment,
                             best_signature_time=moment)


def verify_pdf(data: bytes) -> DocumentReport:
    data = bytes(data)
    report = DocumentReport(sha256=hashlib.sha256(data).hexdigest())
    report.issued = IssuedDocument.objects.filter(sha256=report.sha256).first()
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:  # any damage to the file's structure: say so, never a 500
        logger.info("unreadable PDF submitted for verification", exc_info=True)
        raise UnreadablePdf(str(exc)) from exc
    roots = trust_roots()
    crl = local_crl()
    crls = [crl] if crl is not None else []
    for sig in signatures:
        report.signatures.append(_verify_one(sig, roots, crls))
    return report


def _verify_one(sig, roots, crls) -> SignatureReport:
    try:
        cert = sig.signer_cert
        claimed = sig.self_reported_timestamp
    except Exception:  # the signature's CMS blob itself is damaged
        logger.info("signature %s is unreadable", sig.field_name, exc_info=True)
        return _broken(sig, None, None)
    try:
        status = validate_pdf_signature(sig, signer_validation_context=_context(roots, crls, None),
                                        ts_validation_context=_context(roots, crls, None),
                                        key_usage_settings=_KEY_USAGE)
    except Exception:  # a broken CMS blob or byte range counts as tampering, not a 500
        logger.info("signature %s could not be validated", sig.field_name, exc_info=True)
        return _broken(sig, cert, claimed)
    ts = status.timestamp_validity
    signed_at = ts.timestamp if ts is not None else (status.signer_reported_dt or claimed)
    valid_at_signing = bool(signed_at and cert.not_valid_before <= signed_at
                            <= cert.not_valid_after)
    trusted = bool(status.trusted)
    revoked = bool(status.revoked)
    # A certificate revoked since is fine only when a time-stamp proves the signature
    # came first; the signer's own clock proves nothing against a revocation.
    moment = (ts.timestamp if ts is not None else None) if revoked else signed_at
    if not trusted and valid_at_signing and moment is not None:
        # Trusted at the time of signing (a certificate that has expired since is fine).
        try:
            at_signing = validate_pdf_signature(
                sig, signer_validation_context=_context(roots, crls, moment),
                ts_validation_context=_context(roots, crls, moment),
                key_usage_settings=_KEY_USAGE)
            trusted = bool(at_signing.trusted)
            revoked = bool(at_signing.revoked)
        except Exception:  # same file as above: only the moment differs
            logger.info("signature %s: validation at signing time failed", sig.field_name,
                        exc_info=True)
    intact = bool(status.intact and status.valid)
    modified = status.modification_level is not None and (
        status.modification_level == ModificationLevel.OTHER or status.docmdp_ok is False)
    if not intact or modified:
        verdict = TAMPERED
    elif revoked:
        verdict = REVOKED
    elif not valid_at_signing:
        verdict = EXPIRED
    elif not trusted:
        verdict = UNTRUSTED
    else:
        verdict = VALID
    return SignatureReport(
        field=str(sig.field_name), signer=_common_name(cert), subject=_dn(cert.subject),
        issuer=_dn(cert.issuer),
        signed_at=signed_at.astimezone(VN).isoformat() if signed_at else None,
        level="B-T" if ts is not None else "B-B", intact=intact, trusted=trusted,
        revoked=revoked, certificate_valid_at_signing=valid_at_signing,
        covers_whole_file=status.coverage is not None and status.coverage.name == "ENTIRE_FILE",
        modified_after=modified, verdict=verdict)


def _broken(sig, cert, claimed) -> SignatureReport:
    return SignatureReport(
        field=str(sig.field_name), signer=_common_name(cert) if cert else "",
        subject=_dn(cert.subject) if cert else "", issuer=_dn(cert.issuer) if cert else "",
        signed_at=claimed.astimezone(VN).isoformat() if claimed else None, level="B-B",
        intact=False, trusted=False, revoked=False, certificate_valid_at_signing=False,
        covers_whole_file=False, modified_after=True, verdict=TAMPERED)


_SHORT = {"common_name": "CN", "organization_name": "O", "organizational_unit_name": "OU",
          "country_name": "C", "user_id": "UID", "locality_name": "L",
          "state_or_province_name": "ST", "serial_number": "SERIALNUMBER",
          "email_address": "E", "title": "T"}


def _dn(name) -> str:
    """The name as RFC 4514 text (CN=...,O=...,C=VN): the same in every language."""
    parts = [f"{_SHORT.get(key, key)}={value}" for key, value in name.native.items()]
    return ",".join(reversed(parts))


def _common_name(cert: asn1_x509.Certificate) -> str:
    native = cert.subject.native
    return str(native.get("common_name") or cert.subject.human_friendly)
