"""Private keys at rest: encrypted, never a readable key; rotation of the secret."""

import pytest
from cryptography.hazmat.primitives import serialization

from digigov.signing import keystore, pki, services
from digigov.signing.models import SigningCredential, TrustRoot


def _readable_as_key(blob: bytes) -> bool:
    for loader in (serialization.load_der_private_key, serialization.load_pem_private_key):
        try:
            loader(blob, password=None)
            return True
        except (ValueError, TypeError):
            continue
    return False


def test_stored_keys_are_not_pem_or_der(agency_credential, ca):
    for blob in (bytes(agency_credential.encrypted_key), bytes(ca.encrypted_key)):
        assert blob.startswith(keystore.MAGIC)
        assert b"PRIVATE KEY" not in blob
        assert not _readable_as_key(blob)
        assert not _readable_as_key(blob[len(keystore.MAGIC) + 20:])


def test_round_trip_gives_back_the_same_key(agency_credential):
    key = keystore.decrypt_private_key(agency_credential.encrypted_key)
    cert = pki.load_certificate(bytes(agency_credential.certificate))
    assert key.public_key().public_numbers() == cert.public_key().public_numbers()


def test_altered_blob_is_refused(agency_credential):
    blob = bytearray(agency_credential.encrypted_key)
    blob[-1] ^= 1
    with pytest.raises(keystore.KeyDecryptionError, match="altered"):
        keystore.decrypt_private_key(bytes(blob))


def test_other_secret_cannot_open_keys(agency_credential, settings):
    settings.SIGNING_KEY_ENCRYPTION_KEY = "mot-bi-mat-khac-hoan-toan"
    with pytest.raises(keystore.KeyDecryptionError, match="PREVIOUS"):
        keystore.decrypt_private_key(agency_credential.encrypted_key)


def test_rotation_with_previous_secret_then_rekey(agency_credential, ca, settings):
    old = settings.SECRET_KEY
    settings.SIGNING_KEY_ENCRYPTION_KEY = "bi-mat-moi-2026"
    settings.SIGNING_KEY_ENCRYPTION_KEY_PREVIOUS = old
    keystore.decrypt_private_key(agency_credential.encrypted_key)  # still readable
    assert not keystore.is_current(agency_credential.encrypted_key)

    assert services.rekey_all() == 2  # the CA's key and the agency's
    settings.SIGNING_KEY_ENCRYPTION_KEY_PREVIOUS = ""
    for obj in (SigningCredential.objects.get(), TrustRoot.objects.get()):
        assert keystore.is_current(obj.encrypted_key)
        keystore.decrypt_private_key(obj.encrypted_key)
    assert services.rekey_all() == 0
