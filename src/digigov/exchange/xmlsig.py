"""XML signatures on edXML packages (XMLDSig, enveloped, with signxml).

A package is signed with the sending agency's key (``digigov.signing``: the active agency
credential, its key encrypted at rest) by RSA-SHA256 or ECDSA-SHA256 as the key is, with
the X.509 certificate in ``KeyInfo``. On receipt the certificate in ``KeyInfo`` must be
one the receiver trusts for the sending organ code (a peer's registered certificate, or a
certificate issued by a peer's registered CA and naming that organ code; for a local
agency, one of its own credentials), valid at the time of receipt, and the signature and
digests must check out.
"""

from __future__ import annotations

import base64
import datetime as dt
import threading
from functools import lru_cache

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import XMLSigner, XMLVerifier
from signxml.exceptions import SignXMLException

from digigov.signing import keystore, pki
from digigov.signing.signers import DeviceKey, SignerUnavailable

from .edxml import DS

C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"


class SignatureRefused(ValueError):
    """The package's signature is missing, broken, or made with an untrusted certificate."""


class KeyUnavailable(ValueError):
    """The sending agency's key cannot be used (token absent or misconfigured, rotated
    secret)."""


# Parsed keys by credential fingerprint: a credential's key never changes, and parsing an
# RSA key (with its consistency check) costs as much as several signatures.
_keys: dict[str, object] = {}
_keys_lock = threading.Lock()


def _private_key(credential):
    key = _keys.get(credential.fingerprint)
    if key is not None:
        return key
    try:
        der = keystore.decrypt_private_key_der(credential.encrypted_key)
    except keystore.KeyDecryptionError as exc:
        raise KeyUnavailable(str(exc)) from exc
    key = serialization.load_der_private_key(der, password=None)
    with _keys_lock:
        _keys[credential.fingerprint] = key
    return key


@lru_cache(maxsize=64)
def _signing_chain(certificate: bytes, chain_pem: str) -> tuple[list[x509.Certificate], str]:
    """A credential's certificate chain and signature algorithm, parsed once per process
    (a credential's certificate never changes)."""
    cert = x509.load_der_x509_certificate(certificate)
    public = cert.public_key()
    if isinstance(public, rsa.RSAPublicKey):
        algorithm = "rsa-sha256"
    elif isinstance(public, ec.EllipticCurvePublicKey):
        algorithm = "ecdsa-sha256"
    else:
        raise KeyUnavailable("only RSA and ECDSA keys can sign edXML packages")
    return [cert, *pki.load_pem_chain(chain_pem)], algorithm


def sign(root: etree._Element, credential) -> etree._Element:
    """An enveloped signature over the whole envelope, at the placeholder in the header,
    with the key in the database or on the PKCS#11 device the credential names."""
    chain, algorithm = _signing_chain(bytes(credential.certificate), credential.chain_pem or "")
    signer = XMLSigner(signature_algorithm=algorithm, digest_algorithm="sha256",
                       c14n_algorithm=C14N)
    if credential.encrypted_key is not None:
        return signer.sign(root, key=_private_key(credential), cert=chain)
    try:
        with DeviceKey(credential) as key:
            return signer.sign(root, key=key, cert=chain)
    except SignerUnavailable as exc:
        raise KeyUnavailable(str(exc)) from exc


def signing_certificate(root: etree._Element) -> x509.Certificate:
    """The first certificate in the signature's KeyInfo (the signer's)."""
    node = root.find(f".//{{{DS}}}Signature/{{{DS}}}KeyInfo/{{{DS}}}X509Data/"
                     f"{{{DS}}}X509Certificate")
    if node is None or not (node.text or "").strip():
        raise SignatureRefused("the package carries no signature with an X.509 certificate")
    try:
        return x509.load_der_x509_certificate(base64.b64decode("".join(node.text.split())))
    except ValueError as exc:
        raise SignatureRefused("the certificate in the signature cannot be read") from exc


def organ_code_of(cert: x509.Certificate) -> str:
    """The organ code a local-CA agency certificate names (subject UID)."""
    values = cert.subject.get_attributes_for_oid(NameOID.USER_ID)
    return str(values[0].value) if values else ""


@lru_cache(maxsize=1024)
def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Whether ``issuer`` issued ``cert`` (names and signature). Both are immutable, so
    the answer is kept per process; validity in time is checked on every receipt."""
    if cert.issuer != issuer.subject:
        return False
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def check_trusted(cert: x509.Certificate, *, organ_code: str, trusted: list[x509.Certificate],
                  at: dt.datetime) -> None:
    """Refuse unless ``cert`` is one of ``trusted`` or issued by one of them for
    ``organ_code``, and valid at ``at``."""
    if cert.not_valid_after_utc < at or cert.not_valid_before_utc > at:
        raise SignatureRefused("the signing certificate is not valid at the time of receipt")
    if cert in trusted:  # certificates compare by their DER encoding
        return
    for issuer in trusted:
        if _issued_by(cert, issuer):
            if organ_code_of(cert) != organ_code:
                raise SignatureRefused(
                    f"the signing certificate was issued for {organ_code_of(cert) or 'another'}"
                    f" agency, not for the sending organ {organ_code}")
            return
    raise SignatureRefused(
        f"the signing certificate is not one registered for the sending organ {organ_code}")


def verify(root: etree._Element, *, organ_code: str, trusted: list[x509.Certificate],
           at: dt.datetime) -> x509.Certificate:
    """Check trust, then the signature and its digests; the signer's certificate."""
    cert = signing_certificate(root)
    check_trusted(cert, organ_code=organ_code, trusted=trusted, at=at)
    try:
        XMLVerifier().verify(root, x509_cert=cert)
    except SignXMLException as exc:
        raise SignatureRefused(f"the signature does not match the package: {exc}") from exc
    references = root.findall(f".//{{{DS}}}Signature/{{{DS}}}SignedInfo/{{{DS}}}Reference")
    if len(references) != 1 or references[0].get("URI") != "":
        raise SignatureRefused("the signature must cover the whole envelope (URI=\"\")")
    return cert
