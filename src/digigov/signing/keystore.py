"""Private keys at rest: AES-256-GCM under a key derived from a configured secret.

A stored blob is ``MAGIC | key id (8 bytes) | nonce (12 bytes) | ciphertext``.
The key id names which secret encrypted it, so that after a rotation the
former secret (SIGNING_KEY_ENCRYPTION_KEY_PREVIOUS) still opens old blobs until
``digigov signing_rekey`` has re-encrypted them under the current one.
"""

from __future__ import annotations

import hashlib
import os

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from . import conf

MAGIC = b"DGK1"
_INFO = b"digigov signing private-key encryption v1"


class KeyDecryptionError(Exception):
    """No configured secret opens this blob (wrong or rotated-out secret, or corrupt data)."""


def _derive(secret: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        secret.encode())


def _key_id(key: bytes) -> bytes:
    return hashlib.sha256(b"key-id" + key).digest()[:8]


def _keys() -> list[bytes]:
    return [_derive(secret) for secret in conf.encryption_secrets()]


def encrypt_private_key(private_key) -> bytes:
    """Serialise a ``cryptography`` private key (PKCS#8 DER) and encrypt it."""
    der = private_key.private_bytes(serialization.Encoding.DER,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    key = _keys()[0]
    key_id = _key_id(key)
    nonce = os.urandom(12)
    return MAGIC + key_id + nonce + AESGCM(key).encrypt(nonce, der, MAGIC + key_id)


def decrypt_private_key_der(blob: bytes) -> bytes:
    """The PKCS#8 DER of a stored key."""
    blob = bytes(blob)
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 8 + 12 + 16:
        raise KeyDecryptionError("not an encrypted key blob")
    key_id = blob[4:12]
    nonce, ciphertext = blob[12:24], blob[24:]
    for key in _keys():
        if _key_id(key) == key_id:
            try:
                return AESGCM(key).decrypt(nonce, ciphertext, MAGIC + key_id)
            except Exception as exc:  # InvalidTag: altered data
                raise KeyDecryptionError("the encrypted key has been altered") from exc
    raise KeyDecryptionError(
        "no configured secret opens this key; set SIGNING_KEY_ENCRYPTION_KEY_PREVIOUS "
        "to the secret used before the rotation")


def decrypt_private_key(blob: bytes):
    return serialization.load_der_private_key(decrypt_private_key_der(blob), password=None)


def is_current(blob: bytes) -> bool:
    """Whether the blob is encrypted under the current secret (else it needs a rekey)."""
    return bytes(blob)[4:12] == _key_id(_keys()[0])
