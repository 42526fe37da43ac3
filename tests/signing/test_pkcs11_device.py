"""Signing with a key that stays on a PKCS#11 token (SoftHSM): PAdES results."""

import pytest

from digigov.signing import keystore, pki, services
from digigov.signing.models import TrustRoot
from digigov.signing.verification import verify_pdf


def _device_credential(token, agency, key_type="rsa"):
    root = TrustRoot.objects.get(is_local_ca=True)
    key, cert = pki.issue_signing_certificate(
        keystore.decrypt_private_key(root.encrypted_key), pki.load_certificate(
            bytes(root.certificate)), common_name=agency.name, organization=agency.name,
        uid=agency.code, key_type=key_type)
    return services.register_pkcs11(pki.der(cert), token.store(key), agency=agency)


@pytest.mark.parametrize("key_type", ["rsa", "ec"])
def test_a_result_is_sealed_with_the_key_on_the_token(softhsm, ca, commune_a, pdf_bytes,
                                                      settings, key_type):
    softhsm.configure(settings)
    credential = _device_credential(softhsm, commune_a, key_type)
    assert credential.encrypted_key is None
    signed = services.sign_pdf(pdf_bytes, agency=commune_a)
    report = verify_pdf(signed)
    assert report.valid, report
    assert [(s.signer, s.intact, s.trusted) for s in report.signatures] == [
        (commune_a.name, True, True)]


def test_a_wrong_pin_is_reported_and_nothing_is_signed(softhsm, ca, commune_a, pdf_bytes,
                                                       settings):
    softhsm.configure(settings)
    _device_credential(softhsm, commune_a)
    settings.SIGNING_PKCS11_PIN = "000000"
    with pytest.raises(services.SigningUnavailable, match="PKCS#11 token"):
        services.sign_pdf(pdf_bytes, agency=commune_a)
