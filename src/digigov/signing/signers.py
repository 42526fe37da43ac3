"""One signer interface over where the key lives: encrypted in the database, or on a
PKCS#11 device (HSM, USB token). Both give a pyHanko ``Signer``."""

from __future__ import annotations

import hashlib
from contextlib import contextmanager

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from pyhanko.sign import signers
from pyhanko.sign.attributes import CMSAttributeProvider
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.signers.pdf_cms import SignedAttributeProviderSpec
from pyhanko_certvalidator.registry import SimpleCertificateStore

from . import conf, keystore, pki
from .models import SigningCredential


class SignerUnavailable(Exception):
    """The credential's key cannot be used (device absent, wrong PIN, secret rotated out)."""


@contextmanager
def open_signer(credential: SigningCredential):
    """``signer_for``, closing afterwards what it opened: a PKCS#11 session stays logged
    in on the token until it is closed, and a second login would be refused."""
    signer = signer_for(credential)
    try:
        yield signer
    finally:
        session = getattr(signer, "pkcs11_session", None)
        if session is not None:
            session.close()


def signer_for(credential: SigningCredential) -> signers.Signer:
    if credential.source == SigningCredential.Source.PKCS11:
        return _pkcs11_signer(credential)
    try:
        key_der = keystore.decrypt_private_key_der(credential.encrypted_key)
    except keystore.KeyDecryptionError as exc:
        raise SignerUnavailable(str(exc)) from exc
    cert = asn1_x509.Certificate.load(bytes(credential.certificate))
    chain = [asn1_x509.Certificate.load(pki.der(c))
             for c in pki.load_pem_chain(credential.chain_pem)]
    return LoadedKeySigner(
        key_der,
        signing_cert=cert,
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs(chain),
    )


class _Reencoded(CMSAttributeProvider):
    """A signed attribute's value, parsed back from its own encoding.

    asn1crypto re-encodes a value built from Python objects at every level, every time
    an enclosing structure is encoded; pyHanko encodes the signed attributes several
    times (sorting the SET, digesting, packaging), so the signing-certificate-v2
    attribute alone cost about 7 ms a signature. A parsed value is encoded once."""

    def __init__(self, provider: CMSAttributeProvider):
        self.provider = provider
        self.attribute_type = provider.attribute_type

    async def build_attr_value(self, dry_run=False):
        value = await self.provider.build_attr_value(dry_run=dry_run)
        return None if value is None else type(value).load(value.dump())


class _ReencodedSpec(SignedAttributeProviderSpec):
    def __init__(self, spec: SignedAttributeProviderSpec):
        self.spec = spec

    def signed_attr_providers(self, data_digest: bytes, digest_algorithm: str):
        for provider in self.spec.signed_attr_providers(data_digest, digest_algorithm):
            yield _Reencoded(provider)


class ReencodedAttributesMixin:
    """For a pyHanko ``Signer``: pyHanko's own signed attributes, encoded once.

    Wraps pyHanko's internal choice of attribute providers (pyproject pins 0.38.x)."""

    def _signed_attr_provider_spec(self, *args, **kwargs):
        return _ReencodedSpec(super()._signed_attr_provider_spec(*args, **kwargs))


class LoadedKeySigner(ReencodedAttributesMixin, signers.SimpleSigner):
    """pyHanko's SimpleSigner re-parses the key for every raw signature, and parsing an
    RSA key runs a consistency check costing about as much as ten signatures. The key
    here is parsed once; the check is skipped because the key comes out of authenticated
    encryption (keystore.py) exactly as it went in, after it had been generated or
    imported and matched against its certificate."""

    def __init__(self, key_der: bytes, **kwargs):
        super().__init__(**kwargs)
        self._key = serialization.load_der_private_key(
            key_der, password=None, unsafe_skip_rsa_key_validation=True)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        algo = mechanism["algorithm"].native
        hash_algo = get_pyca_cryptography_hash(digest_algorithm)
        rsa_pkcs1 = algo.endswith("_rsa") or algo == "rsassa_pkcs1v15"
        if rsa_pkcs1 and isinstance(self._key, RSAPrivateKey):
            return self._key.sign(data, padding.PKCS1v15(), hash_algo)
        ecdsa = algo.endswith("_ecdsa") or algo == "ecdsa"
        if ecdsa and isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(hash_algo))
        return super().sign_raw(data, digest_algorithm)


def _open_pkcs11_session():
    """A session on the configured token, logged in with the configured PIN."""
    module = conf.get("SIGNING_PKCS11_MODULE")
    token_label = conf.get("SIGNING_PKCS11_TOKEN_LABEL")
    if not module or not token_label:
        raise SignerUnavailable(
            "PKCS#11 signing needs SIGNING_PKCS11_MODULE and SIGNING_PKCS11_TOKEN_LABEL.")
    try:
        from pyhanko.sign import pkcs11
    except ImportError as exc:  # python-pkcs11 missing
        raise SignerUnavailable("PKCS#11 support is not installed (python-pkcs11).") from exc
    pin = conf.get("SIGNING_PKCS11_PIN") or None
    from pyhanko.config.pkcs11 import TokenCriteria

    try:
        return pkcs11.open_pkcs11_session(
            module, token_criteria=TokenCriteria(label=token_label), user_pin=pin)
    except Exception as exc:  # library missing, token absent, wrong PIN
        raise SignerUnavailable(f"Cannot open the PKCS#11 token {token_label!r}: {exc}") from exc


def _pkcs11_signer(credential: SigningCredential) -> signers.Signer:
    """The key stays on the device; the certificate comes from the database record."""
    from pyhanko.sign import pkcs11

    session = _open_pkcs11_session()
    cert = asn1_x509.Certificate.load(bytes(credential.certificate))
    chain = [asn1_x509.Certificate.load(pki.der(c))
             for c in pki.load_pem_chain(credential.chain_pem)]

    class DeviceSigner(ReencodedAttributesMixin, pkcs11.PKCS11Signer):
        """pyHanko's PKCS#11 signer, with the signed attributes encoded once."""

    # ECDSA: hashed on the host and the digest signed (CKM_ECDSA), which every EC token
    # offers; CKM_ECDSA_SHA256 is often missing (SoftHSM 2.6 has none).
    return DeviceSigner(session, key_label=credential.pkcs11_key_label,
                        signing_cert=cert, ca_chain=chain, use_raw_mechanism=True)


# DER of DigestInfo{sha256, <digest>} up to the digest (RFC 8017, section 9.2, note 1).
_SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


class DeviceKey:
    """A private key on a PKCS#11 device with the ``sign`` of a ``cryptography`` key
    (RSA PKCS#1 v1.5 or ECDSA, SHA-256), for what signs with such keys: edXML
    packages (signxml). Use it as a context manager: the session closes after."""

    _HASHES = {"sha256"}

    def __init__(self, credential: SigningCredential):
        self._public = pki.load_certificate(bytes(credential.certificate)).public_key()
        self._session = _open_pkcs11_session()
        import pkcs11  # present: the session opened

        try:
            self._key = self._session.get_key(object_class=pkcs11.ObjectClass.PRIVATE_KEY,
                                              label=credential.pkcs11_key_label)
        except Exception as exc:  # no such key, or several with the label
            self._session.close()
            raise SignerUnavailable(
                f"No private key labelled {credential.pkcs11_key_label!r} on the token: "
                f"{exc!r}") from exc

    def __enter__(self) -> DeviceKey:
        return self

    def __exit__(self, *exc_info) -> None:
        self._session.close()

    @property
    def key_size(self) -> int:
        return self._public.key_size if isinstance(self._public, RSAPublicKey) \
            else self._public.curve.key_size

    def public_key(self):
        return self._public

    def sign(self, data: bytes, padding=None, algorithm=None, signature_algorithm=None) -> bytes:
        """Hashed here and the digest signed on the token (CKM_RSA_PKCS with the
        DigestInfo, CKM_ECDSA), the mechanisms every token offers."""
        from pkcs11 import Mechanism

        hash_algorithm = algorithm or getattr(signature_algorithm, "algorithm", None)
        if getattr(hash_algorithm, "name", "") not in self._HASHES:
            raise SignerUnavailable("PKCS#11 keys sign with SHA-256 here.")
        digest = hashlib.sha256(data).digest()
        if isinstance(self._public, RSAPublicKey) and isinstance(padding, PKCS1v15):
            return self._key.sign(_SHA256_DIGEST_INFO + digest, mechanism=Mechanism.RSA_PKCS)
        if isinstance(self._public, ec.EllipticCurvePublicKey) and signature_algorithm:
            raw = self._key.sign(digest, mechanism=Mechanism.ECDSA)  # r || s
            half = len(raw) // 2
            return encode_dss_signature(int.from_bytes(raw[:half], "big"),
                                        int.from_bytes(raw[half:], "big"))
        raise SignerUnavailable("PKCS#11 keys sign RSA PKCS#1 v1.5 or ECDSA here.")
