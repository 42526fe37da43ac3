"""Certificates: a local CA, document-signing certificates, PKCS#12 parsing and checks.

Pure functions over ``cryptography`` objects; services.py stores the results.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

KEY_TYPES = ("rsa", "ec")
# id-kp-documentSigning (RFC 9336); Adobe's own document-signing EKU is accepted too.
DOCUMENT_SIGNING_EKU = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")
ADOBE_DOCUMENT_SIGNING_EKU = x509.ObjectIdentifier("1.2.840.113583.1.1.5")
SIGNING_EKUS = {DOCUMENT_SIGNING_EKU, ADOBE_DOCUMENT_SIGNING_EKU,
                ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CODE_SIGNING,
                x509.ObjectIdentifier("2.5.29.37.0")}  # anyExtendedKeyUsage


class CertificateRefused(ValueError):
    """A certificate that cannot sign documents here; the message says why."""


def new_key(key_type: str = "rsa"):
    if key_type == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if key_type == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    raise ValueError(f"unknown key type {key_type!r}; use one of {', '.join(KEY_TYPES)}")


def _name(common_name: str, *, organization: str = "", unit: str = "",
          uid: str = "") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organization:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization[:64]))
    if unit:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit[:64]))
    if uid:
        attrs.append(x509.NameAttribute(NameOID.USER_ID, uid[:64]))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]))
    return x509.Name(attrs)


def create_ca(common_name: str, *, key_type: str = "rsa", years: int = 10,
              now: dt.datetime | None = None):
    """A self-signed root that may only sign certificates (and revocation lists)."""
    now = now or dt.datetime.now(dt.UTC)
    key = new_key(key_type)
    name = _name(common_name, organization=common_name)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(key, _hash_for(key))
    )
    return key, cert


def issue_signing_certificate(ca_key, ca_cert: x509.Certificate, *, common_name: str,
                              organization: str = "", unit: str = "", uid: str = "",
                              key_type: str = "rsa", days: int = 730,
                              not_before: dt.datetime | None = None, crl_url: str = ""):
    """A document-signing (non-repudiation) certificate for an agency or an officer.

    With ``crl_url`` the certificate names where its CA publishes revocations, so
    that other validators (Acrobat, pdfsig) can check it too.
    """
    not_before = not_before or dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    not_after = min(not_before + dt.timedelta(days=days), ca_cert.not_valid_after_utc)
    key = new_key(key_type)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organization=organization, unit=unit, uid=uid))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([DOCUMENT_SIGNING_EKU,
                                              ADOBE_DOCUMENT_SIGNING_EKU]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                       critical=False)
    )
    if crl_url:
        cert = cert.add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None,
            reasons=None, crl_issuer=None)]), critical=False)
    return key, cert.sign(ca_key, _hash_for(ca_key))


def build_crl(ca_key, ca_cert: x509.Certificate, revoked: list[tuple[int, dt.datetime]], *,
              number: int, now: dt.datetime | None = None,
              valid_days: int = 7) -> x509.CertificateRevocationList:
    """The CA's certificate revocation list: (serial number, revocation time) pairs."""
    now = now or dt.datetime.now(dt.UTC)
    builder = (x509.CertificateRevocationListBuilder()
               .issuer_name(ca_cert.subject)
               .last_update(now - dt.timedelta(minutes=5))
               .next_update(now + dt.timedelta(days=valid_days))
               .add_extension(x509.CRLNumber(number), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                   ca_key.public_key()), critical=False))
    for serial, at in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(at).build())
    return builder.sign(ca_key, _hash_for(ca_key))


def _hash_for(key):
    if isinstance(key, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey):
        return None
    return hashes.SHA256()


def fingerprint(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def pem_chain(certs: list[x509.Certificate]) -> str:
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certs)


def load_pem_chain(text: str) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(text.encode()) if text.strip() else []


def load_certificate(data: bytes) -> x509.Certificate:
    """A certificate from PEM or DER bytes."""
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError as exc:
        raise CertificateRefused("The file is not an X.509 certificate (PEM or DER).") from exc


def load_pkcs12(data: bytes, password: str | None):
    """(key, certificate, intermediates) from a PKCS#12 file."""
    try:
        p12 = pkcs12.load_pkcs12(data, password.encode() if password else None)
    except ValueError as exc:
        raise CertificateRefused(
            "Cannot open the PKCS#12 file: wrong password or not a PKCS#12 file.") from exc
    if p12.key is None or p12.cert is None:
        raise CertificateRefused("The PKCS#12 file holds no private key with its certificate.")
    cert = p12.cert.certificate
    if p12.key.public_key().public_numbers() != cert.public_key().public_numbers():
        raise CertificateRefused("The private key in the file does not match its certificate.")
    return p12.key, cert, [c.certificate for c in p12.additional_certs]


def check_can_sign(cert: x509.Certificate, *, at: dt.datetime | None = None) -> None:
    """Refuse certificates that are not (or no longer) usable to sign documents."""
    at = at or dt.datetime.now(dt.UTC)
    if cert.not_valid_after_utc < at:
        raise CertificateRefused(
            f"The certificate expired on {cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC.")
    if cert.not_valid_before_utc > at:
        raise CertificateRefused(
            f"The certificate is valid only from {cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC.")
    try:
        if cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca:
            raise CertificateRefused("This is a CA certificate, not a signing certificate.")
    except x509.ExtensionNotFound:
        pass
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        if not (usage.digital_signature or usage.content_commitment):
            raise CertificateRefused(
                "The certificate's key usage allows neither digital signature nor "
                "non-repudiation: it cannot sign documents.")
    except x509.ExtensionNotFound:
        pass
    try:
        ekus = set(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
        if not ekus & SIGNING_EKUS:
            raise CertificateRefused(
                "The certificate's extended key usage does not cover document signing "
                "(e.g. it is a TLS server certificate).")
    except x509.ExtensionNotFound:
        pass


def subject_text(cert: x509.Certificate) -> str:
    return cert.subject.rfc4514_string()


def common_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else subject_text(cert)
