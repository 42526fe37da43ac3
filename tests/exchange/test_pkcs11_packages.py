"""edXML packages signed with an agency key that stays on a PKCS#11 token (SoftHSM)."""

import datetime as dt

import pytest

from digigov.exchange import edxml, xmlsig
from digigov.exchange.edxml import DS
from digigov.signing import keystore, pki
from digigov.signing import services as signing
from digigov.signing.models import TrustRoot

from .conftest import document_package, organ

NOW = dt.datetime.now(dt.UTC)


def _on_token(token, agency, key_type):
    root = TrustRoot.objects.get(is_local_ca=True)
    key, cert = pki.issue_signing_certificate(
        keystore.decrypt_private_key(root.encrypted_key),
        pki.load_certificate(bytes(root.certificate)), common_name=agency.name,
        organization=agency.name, uid=agency.code, key_type=key_type)
    return signing.register_pkcs11(pki.der(cert), token.store(key), agency=agency), root


@pytest.mark.parametrize("key_type, algorithm", [("rsa", "rsa-sha256"),
                                                 ("ec", "ecdsa-sha256")])
def test_a_package_signed_on_the_token_verifies(softhsm, ca, commune_a, commune_b,
                                                settings, key_type, algorithm):
    softhsm.configure(settings)
    credential, root = _on_token(softhsm, commune_a, key_type)
    package = edxml.build_document(document_package(organ(commune_a), [organ(commune_b)]))
    data = edxml.serialize(xmlsig.sign(package, credential))
    signed = edxml.parse_bytes(data)
    assert edxml.validate(signed) == "document"
    assert signed.find(f".//{{{DS}}}SignatureMethod").get("Algorithm").endswith(algorithm)
    cert = xmlsig.verify(signed, organ_code=commune_a.code,
                         trusted=[pki.load_certificate(bytes(root.certificate))], at=NOW)
    assert pki.fingerprint(cert) == credential.fingerprint
    assert b"<edXML:Priority>1<" in data
    tampered = edxml.parse_bytes(data.replace(b"<edXML:Priority>1<", b"<edXML:Priority>3<"))
    with pytest.raises(xmlsig.SignatureRefused):
        xmlsig.verify(tampered, organ_code=commune_a.code,
                      trusted=[pki.load_certificate(bytes(root.certificate))], at=NOW)


def test_a_token_that_cannot_be_opened_is_reported(softhsm, ca, commune_a, commune_b,
                                                   settings):
    softhsm.configure(settings)
    credential, _root = _on_token(softhsm, commune_a, "rsa")
    settings.SIGNING_PKCS11_PIN = "000000"
    package = edxml.build_document(document_package(organ(commune_a), [organ(commune_b)]))
    with pytest.raises(xmlsig.KeyUnavailable, match="PKCS#11 token"):
        xmlsig.sign(package, credential)
    assert package.find(f".//{{{DS}}}SignatureValue") is None  # nothing half-signed
