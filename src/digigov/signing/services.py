"""Signing use cases: the local CA, certificates, PAdES signing and issuing documents.

Every function that changes state is transactional and records an audit event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from io import BytesIO
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps.common_utils import TimestampRequestError

from digigov.audit.services import record
from digigov.core.errors import DomainError, InvalidInput, NotAllowed

from . import conf, keystore, pki, stamps
from .models import IssuedDocument, SigningCredential, TrustRoot
from .signers import SignerUnavailable, open_signer

VN = ZoneInfo("Asia/Ho_Chi_Minh")
Holder = SigningCredential.Holder


class SigningUnavailable(DomainError):
    status = 503
    code = "signing_unavailable"


# --- trust roots and the local CA -------------------------------------------------------

def local_ca() -> TrustRoot | None:
    return TrustRoot.objects.filter(is_local_ca=True).first()


@transaction.atomic
def create_local_ca(name: str, *, key_type: str = "rsa", years: int = 10,
                    actor=None) -> TrustRoot:
    if not name.strip():
        raise InvalidInput(_("Hãy nhập tên của CA."), fields={"name": [_("Bắt buộc.")]})
    if local_ca():
        raise InvalidInput(_("Hệ thống đã có CA nội bộ."), code="ca_exists")
    key, cert = pki.create_ca(name.strip(), key_type=key_type, years=years)
    root = _save_root(cert, label=name.strip(), is_local_ca=True,
                      encrypted_key=keystore.encrypt_private_key(key))
    record(actor=actor, action="signing.ca_created", obj=root, fingerprint=root.fingerprint)
    return root


@transaction.atomic
def add_trust_root(cert_bytes: bytes, *, label: str = "", actor=None) -> TrustRoot:
    """Trust an external root (e.g. the national root CA of a certification provider)."""
    try:
        cert = pki.load_certificate(cert_bytes)
    except pki.CertificateRefused as exc:
        raise InvalidInput(_("Tệp không phải là chứng thư số X.509.")) from exc
    if TrustRoot.objects.filter(fingerprint=pki.fingerprint(cert)).exists():
        raise InvalidInput(_("Chứng thư gốc này đã được tin cậy."), code="root_exists")
    root = _save_root(cert, label=label.strip() or pki.common_name(cert))
    record(actor=actor, action="signing.root_trusted", obj=root, fingerprint=root.fingerprint)
    return root


def _save_root(cert, *, label, is_local_ca=False, encrypted_key=None) -> TrustRoot:
    return TrustRoot.objects.create(
        label=label[:200], certificate=pki.der(cert), fingerprint=pki.fingerprint(cert),
        subject=pki.subject_text(cert)[:500], not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc, is_local_ca=is_local_ca,
        encrypted_key=encrypted_key)


# --- credentials ---------------------------------------------------------------------

def _holder_kwargs(*, agency=None, officer=None) -> dict:
    if (agency is None) == (officer is None):
        raise InvalidInput(_("Chọn đúng một chủ sở hữu: cơ quan hoặc cán bộ."))
    if agency is not None:
        return {"holder": Holder.AGENCY, "agency": agency, "officer": None}
    if not officer.is_official:
        raise InvalidInput(_("Chỉ cán bộ, công chức mới được cấp chứng thư ký số cá nhân."))
    return {"holder": Holder.OFFICER, "officer": officer, "agency": None}


@transaction.atomic
def issue_credential(*, agency=None, officer=None, key_type: str = "rsa", days: int = 730,
                     actor=None) -> SigningCredential:
    """A certificate from the local CA: the agency's name and organ code, or the officer's
    name, in the subject. Replaces the holder's active credential."""
    holder = _holder_kwargs(agency=agency, officer=officer)
    ca = local_ca()
    if ca is None:
        raise InvalidInput(_("Chưa có CA nội bộ: hãy chạy lệnh signing_ca init trước."),
                           code="no_local_ca")
    ca_cert = pki.load_certificate(bytes(ca.certificate))
    if ca_cert.not_valid_after_utc < dt.datetime.now(dt.UTC):
        raise InvalidInput(_("CA nội bộ đã hết hạn."), code="ca_expired")
    if agency is not None:
        subject = {"common_name": agency.name, "organization": agency.name, "uid": agency.code}
    else:
        roles = officer.role_assignments.select_related("agency").order_by("created_at")
        first = roles.first()
        subject = {"common_name": officer.full_name or officer.login,
                   "organization": first.agency.name if first else "",
                   "uid": str(officer.uuid)}  # a public identifier, not the login
    key, cert = pki.issue_signing_certificate(
        keystore.decrypt_private_key(ca.encrypted_key), ca_cert, key_type=key_type, days=days,
        crl_url=settings.PUBLIC_BASE_URL.rstrip("/") + reverse("signing:crl"), **subject)
    return _save_credential(cert, [], holder, source=SigningCredential.Source.LOCAL_CA,
                            encrypted_key=keystore.encrypt_private_key(key), actor=actor)


@transaction.atomic
def import_pkcs12(data: bytes, password: str | None, *, agency=None, officer=None,
                  actor=None) -> SigningCredential:
    """A real certificate and key (PKCS#12) for an agency or an officer."""
    holder = _holder_kwargs(agency=agency, officer=officer)
    key, cert, extra = pki.load_pkcs12(data, password)
    pki.check_can_sign(cert)
    if SigningCredential.objects.filter(fingerprint=pki.fingerprint(cert)).exists():
        raise InvalidInput(_("Chứng thư này đã được nhập."), code="credential_exists")
    chain = [c for c in extra if c.subject != c.issuer]  # roots are trusted separately
    return _save_credential(cert, chain, holder, source=SigningCredential.Source.PKCS12,
                            encrypted_key=keystore.encrypt_private_key(key), actor=actor)


@transaction.atomic
def register_pkcs11(cert_bytes: bytes, key_label: str, *, agency=None, officer=None,
                    actor=None) -> SigningCredential:
    """A certificate whose key stays on the configured PKCS#11 token under ``key_label``."""
    holder = _holder_kwargs(agency=agency, officer=officer)
    cert = pki.load_certificate(cert_bytes)
    pki.check_can_sign(cert)
    if not key_label.strip():
        raise InvalidInput(_("Hãy nhập nhãn khóa trên thiết bị."))
    return _save_credential(cert, [], holder, source=SigningCredential.Source.PKCS11,
                            encrypted_key=None, key_label=key_label.strip(), actor=actor)


def _save_credential(cert, chain, holder: dict, *, source, encrypted_key, key_label="",
                     actor=None) -> SigningCredential:
    SigningCredential.objects.filter(
        holder=holder["holder"], agency=holder["agency"], officer=holder["officer"],
        is_active=True).update(is_active=False)
    credential = SigningCredential.objects.create(
        **holder, source=source, certificate=pki.der(cert), chain_pem=pki.pem_chain(chain),
        encrypted_key=encrypted_key, pkcs11_key_label=key_label,
        subject=pki.subject_text(cert)[:500], issuer=cert.issuer.rfc4514_string()[:500],
        serial=format(cert.serial_number, "x"), fingerprint=pki.fingerprint(cert),
        not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc)
    record(actor=actor, action="signing.credential_added", obj=credential,
           holder=credential.holder, source=source, fingerprint=credential.fingerprint)
    return credential


def active_credential(*, agency=None, officer=None) -> SigningCredential:
    holder = _holder_kwargs(agency=agency, officer=officer)
    credential = (SigningCredential.objects.filter(is_active=True, **holder)
                  .order_by("-created_at").first())
    if credential is None:
        who = agency.name if agency is not None else str(officer)
        raise InvalidInput(_("%(who)s chưa có chứng thư ký số.") % {"who": who},
                           code="no_credential")
    now = timezone.now()
    if credential.not_after < now:
        raise InvalidInput(
            _("Chứng thư ký số của %(who)s đã hết hạn ngày %(date)s.")
            % {"who": pki.common_name(pki.load_certificate(bytes(credential.certificate))),
               "date": timezone.localtime(credential.not_after).strftime("%d/%m/%Y")},
            code="certificate_expired")
    if credential.not_before > now:
        raise InvalidInput(_("Chứng thư ký số chưa đến thời hạn hiệu lực."),
                           code="certificate_not_yet_valid")
    return credential


@transaction.atomic
def revoke_credential(credential: SigningCredential, *, reason: str, actor=None,
                      now: dt.datetime | None = None) -> SigningCredential:
    """Revoke a certificate (key lost, holder left, wrong data): it signs nothing more, and
    the local CA's revocation list names it from now on, so signatures made with it after
    this moment are reported as revoked."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Hãy ghi lý do thu hồi chứng thư."),
                           fields={"reason": [_("Bắt buộc.")]})
    credential = SigningCredential.objects.select_for_update().get(pk=credential.pk)
    if credential.revoked_at is not None:
        raise InvalidInput(_("Chứng thư này đã bị thu hồi."), code="already_revoked")
    credential.revoked_at = now or timezone.now()
    credential.revocation_reason = reason[:500]
    credential.is_active = False
    credential.save(update_fields=["revoked_at", "revocation_reason", "is_active"])
    if credential.source == SigningCredential.Source.LOCAL_CA and (ca := local_ca()):
        _publish_crl(ca, timezone.now())
    record(actor=actor, action="signing.credential_revoked", obj=credential,
           from_state="active", to_state="revoked", fingerprint=credential.fingerprint,
           reason=credential.revocation_reason)
    return credential


CRL_VALID_DAYS = 7
CRL_RENEW_BEFORE = dt.timedelta(days=1)


def local_crl(now: dt.datetime | None = None) -> bytes | None:
    """The local CA's current revocation list (DER); None without a local CA.

    Kept on the CA's row and signed anew only after a revocation or when it nears its
    next update: verifying a signature must not cost a CA signature."""
    now = now or timezone.now()
    ca = local_ca()
    if ca is None:
        return None
    if ca.crl is not None and ca.crl_next_update and ca.crl_next_update - CRL_RENEW_BEFORE > now:
        return bytes(ca.crl)
    return _publish_crl(ca, now)


def _publish_crl(ca: TrustRoot, now: dt.datetime) -> bytes:
    ca_cert = pki.load_certificate(bytes(ca.certificate))
    revoked = (SigningCredential.objects
               .filter(source=SigningCredential.Source.LOCAL_CA, revoked_at__isnull=False)
               .order_by("revoked_at").values_list("serial", "revoked_at"))
    crl = pki.build_crl(keystore.decrypt_private_key(ca.encrypted_key), ca_cert,
                        [(int(serial, 16), at) for serial, at in revoked],
                        number=int(now.timestamp() * 1000), now=now, valid_days=CRL_VALID_DAYS)
    data = crl.public_bytes(serialization.Encoding.DER)
    # Concurrent publishers write equivalent lists; the last one stays.
    TrustRoot.objects.filter(pk=ca.pk).update(crl=data, crl_next_update=crl.next_update_utc)
    return data


@transaction.atomic
def rekey_all() -> int:
    """Re-encrypt every stored key under the current secret (after a rotation)."""
    count = 0
    for model in (TrustRoot, SigningCredential):
        for obj in model.objects.select_for_update().exclude(encrypted_key=None):
            if keystore.is_current(obj.encrypted_key):
                continue
            key = keystore.decrypt_private_key(obj.encrypted_key)
            model.objects.filter(pk=obj.pk).update(
                encrypted_key=keystore.encrypt_private_key(key))
            count += 1
    return count


# --- signing ------------------------------------------------------------------------

def _timestamper():
    url = conf.tsa_url()
    if not url:
        return None
    if not url.startswith(("http://", "https://")):
        raise SigningUnavailable(
            _("Cấu hình SIGNING_TSA_URL không hợp lệ: phải là địa chỉ http(s)."),
            code="tsa_misconfigured")
    from pyhanko.sign.timestamps.requests_client import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=conf.tsa_timeout())


def _reserved_bytes(credential: SigningCredential, timestamper) -> int:
    """Room for the CMS container, so pyHanko skips its trial signature to measure it:
    the signature and attributes, the embedded certificates, and a time-stamp token."""
    certificates = len(bytes(credential.certificate)) + len(credential.chain_pem)
    reserved = 6144 + certificates + (12288 if timestamper is not None else 0)
    return reserved + reserved % 2  # hex-encoded in the file: pyHanko wants an even size


def _sign_once(data: bytes, signer, *, field_name: str, style, page: int | None, box,
               text_params: dict, timestamper, reason: str, reserved: int) -> bytes:
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    spec = (fields.SigFieldSpec(field_name, on_page=page, box=box) if box
            else fields.SigFieldSpec(field_name))
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", reason=reason,
        subfilter=fields.SigSeedSubFilter.PADES)
    pdf_signer = signers.PdfSigner(meta, signer, timestamper=timestamper,
                                   stamp_style=style if box else None, new_field_spec=spec)
    out = BytesIO()
    pdf_signer.sign_pdf(writer, output=out, appearance_text_params=text_params,
                        bytes_reserved=reserved)
    return out.getvalue()


def sign_pdf(pdf_bytes: bytes, *, officer=None, agency=None, area=None, number: str = "",
             reason: str = "") -> bytes:
    """PAdES signatures, incremental: the officer's personal one, then the agency's.

    With ``area`` (a result or form; a ``SignatureArea``, or the ``SignatureBoxes`` that
    digigov.pdfs returns with a rendered document): the personal mark fills the area
    between the signer's title and name and the agency seal overlaps its left third.
    Without it (a separate-file attachment): the agency signature goes top right of
    page 1 with the number-notation and signing time; a personal signature, if any, is
    then invisible. B-T when SIGNING_TSA_URL is set.
    """
    if officer is None and agency is None:
        raise InvalidInput(_("Cần ít nhất một người ký: cán bộ hoặc cơ quan."))
    if area is None and agency is None:
        raise InvalidInput(_("Văn bản kèm theo phải có chữ ký số của cơ quan."))
    credentials = []
    if officer is not None:
        credentials.append(("CaNhan", active_credential(officer=officer)))
    if agency is not None:
        credentials.append(("CoQuan", active_credential(agency=agency)))
    timestamper = _timestamper()
    data = bytes(pdf_bytes)
    try:
        page_box = _first_page_size(data)
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise InvalidInput(_("Tệp không phải là PDF đọc được: %(reason)s") % {"reason": exc},
                           code="invalid_pdf") from exc
    place = stamps.placement(area) if area is not None else None
    if place is not None and not 0 <= place.page < page_box[2]:
        raise InvalidInput(_("Vị trí chữ ký nằm ngoài số trang của văn bản."),
                           code="invalid_signature_area")
    try:
        for role, credential in credentials:
            name = pki.common_name(pki.load_certificate(bytes(credential.certificate)))
            params = {"signer": name, "number": number or "—",
                      "vn_time": timezone.now().astimezone(VN).isoformat(timespec="seconds")}
            if place is not None:
                page = place.page
                box = place.signer if role == "CaNhan" else place.seal
                style = stamps.personal_style() if role == "CaNhan" else stamps.seal_style()
            elif role == "CoQuan":
                page, box = 0, stamps.attachment_box(*page_box[:2])
                style = stamps.attachment_style()
            else:
                page, box, style = None, None, None
            with open_signer(credential) as signer:
                data = _sign_once(data, signer,
                                  field_name=f"{role}_{uuid.uuid4().hex[:8]}", style=style,
                                  page=page, box=box, text_params=params,
                                  timestamper=timestamper,
                                  reason=reason or _("Ký ban hành văn bản"),
                                  reserved=_reserved_bytes(credential, timestamper))
    except SignerUnavailable as exc:
        raise SigningUnavailable(_("Không dùng được khóa ký: %(reason)s") % {"reason": exc},
                                 code="key_unavailable") from exc
    except stamps.NoStampFont as exc:
        raise SigningUnavailable(_("Thiếu phông chữ cho dấu chữ ký: %(reason)s")
                                 % {"reason": exc}, code="no_stamp_font") from exc
    except (SigningError, TimestampRequestError) as exc:
        if timestamper is not None:
            raise SigningUnavailable(
                _("Không lấy được dấu thời gian từ máy chủ TSA (%(url)s): %(reason)s")
                % {"url": conf.tsa_url(), "reason": exc}, code="tsa_unavailable") from exc
        raise
    return data


def _first_page_size(data: bytes) -> tuple[float, float, int]:
    """(width, height) of page 1 and the page count; reading them checks the file too."""
    reader = PdfFileReader(BytesIO(data), strict=False)
    pages = reader.root["/Pages"]
    first = pages["/Kids"][0]
    while "/Kids" in first:  # a tree of page nodes
        first = first["/Kids"][0]
    box = first.get("/MediaBox") or pages["/MediaBox"]
    x1, y1, x2, y2 = (float(v) for v in box)
    return x2 - x1, y2 - y1, int(pages["/Count"])


# --- issuing ------------------------------------------------------------------------

def _check_may_sign(user, *, officer, agency) -> None:
    if officer is not None and officer.pk != user.pk:
        raise NotAllowed(_("Chỉ chính người giữ chứng thư mới được dùng chữ ký số cá nhân."))
    if agency is not None and agency.pk not in user.role_agency_ids() and not user.is_superuser:
        raise NotAllowed(_("Anh/chị không thuộc cơ quan này nên không được đóng dấu của cơ quan."))


def new_document_uuid() -> uuid.UUID:
    """A UUID for the next issued document, to print in its QR code before signing."""
    return uuid.uuid4()


@transaction.atomic
def issue_document(pdf_bytes: bytes, *, kind: str, title: str, issued_by, officer=None,
                   agency=None, number: str = "", dossier=None, area=None,
                   document_uuid: uuid.UUID | None = None) -> IssuedDocument:
    """Sign a document and record it in the register of issued documents.

    ``document_uuid``: the record's UUID when the document was rendered with a QR code
    pointing at ``/xac-thuc/<uuid>/`` before signing (see ``new_document_uuid``)."""
    if kind not in IssuedDocument.Kind.values:
        raise InvalidInput(_("Loại văn bản không hợp lệ."), fields={"kind": [_("Không hợp lệ.")]})
    if not title.strip():
        raise InvalidInput(_("Hãy nhập trích yếu văn bản."), fields={"title": [_("Bắt buộc.")]})
    if issued_by is not None:
        _check_may_sign(issued_by, officer=officer, agency=agency)
    signed = sign_pdf(pdf_bytes, officer=officer, agency=agency, area=area, number=number,
                      reason=title.strip()[:200])
    credentials = [active_credential(**holder)
                   for holder in ({"officer": officer}, {"agency": agency})
                   if next(iter(holder.values())) is not None]
    return register_signed_document(signed, kind=kind, title=title, number=number,
                                     issued_by=issued_by, credentials=credentials,
                                     dossier=dossier, document_uuid=document_uuid)


def register_signed_document(signed: bytes, *, kind: str, title: str, issued_by,
                             credentials: list[SigningCredential], number: str = "",
                             dossier=None,
                             document_uuid: uuid.UUID | None = None) -> IssuedDocument:
    """Record a file signed here (possibly in several steps, by several people) in the
    register of issued documents, so that the verification page recognises its copies."""
    if kind not in IssuedDocument.Kind.values:
        raise InvalidInput(_("Loại văn bản không hợp lệ."), fields={"kind": [_("Không hợp lệ.")]})
    signers_info = [{"role": c.holder, "subject": c.subject, "fingerprint": c.fingerprint}
                    for c in credentials]
    doc_uuid = document_uuid or uuid.uuid4()
    if IssuedDocument.objects.filter(uuid=doc_uuid).exists():
        raise InvalidInput(_("Mã xác thực này đã dùng cho một văn bản khác."),
                           code="uuid_taken")
    document = IssuedDocument(
        uuid=doc_uuid, dossier=dossier, kind=kind, title=title.strip()[:500],
        number=number.strip()[:100], sha256=hashlib.sha256(signed).hexdigest(),
        issued_by=issued_by, signers=signers_info)
    document.file.save(f"{doc_uuid}.pdf", ContentFile(signed), save=False)
    document.save()
    record(actor=issued_by, action="signing.document_issued", obj=document, kind=kind,
           number=document.number, sha256=document.sha256,
           dossier=getattr(dossier, "code", None))
    return document
