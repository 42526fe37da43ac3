"""XML signatures on packages: valid, tampered, wrong certificate, wrong organ."""

import base64
import datetime as dt

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from digigov.exchange import edxml, xmlsig
from digigov.exchange.edxml import DS

from .conftest import Remote, document_package, organ

NOW = dt.datetime.now(dt.UTC)


def _signed(remote, recipients=None):
    package = document_package(remote.organ(), recipients or [edxml.Organ("000.01.37.H37",
                                                                          "UBND xã A")])
    return remote.sign(edxml.build_document(package))


@pytest.mark.parametrize("key_type, algorithm", [("rsa", "rsa-sha256"),
                                                 ("ec", "ecdsa-sha256")])
def test_valid_signature_verifies_against_the_ca_or_the_certificate(db, key_type, algorithm):
    remote = Remote(key_type=key_type)
    data = _signed(remote)
    root = edxml.parse_bytes(data)
    assert edxml.validate(root) == "document"
    method = root.find(f".//{{{DS}}}SignatureMethod").get("Algorithm")
    assert method.endswith(algorithm)
    for trusted in ([remote.ca_cert], [remote.cert]):
        cert = xmlsig.verify(edxml.parse_bytes(data), organ_code=remote.code, trusted=trusted,
                             at=NOW)
        assert xmlsig.organ_code_of(cert) == remote.code


def test_signature_sits_in_the_header(db):
    root = edxml.parse_bytes(_signed(Remote()))
    header = root.find(f"{{{edxml.NS}}}edXMLHeader")
    assert header[-1].tag == f"{{{DS}}}Signature"
    assert root.find(f".//{{{DS}}}X509Certificate") is not None


@pytest.mark.parametrize("old, new", [
    ("Nguyễn Văn Ánh".encode(), "Nguyễn Văn Anh".encode()),   # the signer's name
    (b"<edXML:Priority>1<", b"<edXML:Priority>3<"),            # the urgency
    (b"JVBERi0xLjQKJSB0ZXAgZGluaCBrZW0KJSVFT0YK", b"JVBERi0xLjQKJSB0ZXAgZGluaCBrZW1YJSVFT0YK"),
])
def test_tampered_package_is_refused(db, old, new):
    remote = Remote()
    data = _signed(remote)
    assert old in data
    with pytest.raises(xmlsig.SignatureRefused, match="does not match"):
        xmlsig.verify(edxml.parse_bytes(data.replace(old, new)), organ_code=remote.code,
                      trusted=[remote.ca_cert], at=NOW)


def test_certificate_of_another_system_is_refused(db):
    remote, stranger = Remote(), Remote()
    with pytest.raises(xmlsig.SignatureRefused, match="not one registered"):
        xmlsig.verify(edxml.parse_bytes(_signed(stranger)), organ_code=remote.code,
                      trusted=[remote.ca_cert], at=NOW)


def test_swapped_certificate_is_refused(db):
    """A package signed by one key but showing the trusted certificate fails the signature."""
    remote, forger = Remote(), Remote()
    root = edxml.parse_bytes(_signed(forger))
    node = root.find(f".//{{{DS}}}X509Certificate")
    node.text = base64.b64encode(remote.cert.public_bytes(Encoding.DER)).decode()
    with pytest.raises(xmlsig.SignatureRefused, match="does not match"):
        xmlsig.verify(root, organ_code=remote.code, trusted=[remote.ca_cert], at=NOW)


def test_ca_certificate_for_another_organ_is_refused(db):
    remote = Remote()
    with pytest.raises(xmlsig.SignatureRefused, match="issued for"):
        xmlsig.verify(edxml.parse_bytes(_signed(remote)), organ_code="000.00.00.H01",
                      trusted=[remote.ca_cert], at=NOW)


def test_expired_certificate_is_refused(db):
    remote = Remote()
    with pytest.raises(xmlsig.SignatureRefused, match="not valid"):
        xmlsig.verify(edxml.parse_bytes(_signed(remote)), organ_code=remote.code,
                      trusted=[remote.ca_cert], at=NOW + dt.timedelta(days=3650))


def test_a_trust_checked_once_is_checked_again_on_every_receipt(db):
    """The issuer check is kept per process; the time, the organ and the trusted list of
    each receipt are not."""
    remote, other = Remote(), Remote()
    data = _signed(remote)
    xmlsig.verify(edxml.parse_bytes(data), organ_code=remote.code, trusted=[remote.ca_cert],
                  at=NOW)
    with pytest.raises(xmlsig.SignatureRefused, match="not valid"):
        xmlsig.verify(edxml.parse_bytes(data), organ_code=remote.code,
                      trusted=[remote.ca_cert], at=NOW + dt.timedelta(days=3650))
    with pytest.raises(xmlsig.SignatureRefused, match="issued for"):
        xmlsig.verify(edxml.parse_bytes(data), organ_code="000.00.00.H01",
                      trusted=[remote.ca_cert], at=NOW)
    with pytest.raises(xmlsig.SignatureRefused, match="not one registered"):
        xmlsig.verify(edxml.parse_bytes(data), organ_code=remote.code,
                      trusted=[other.ca_cert], at=NOW)


def test_unsigned_package_is_refused(db):
    root = edxml.build_document(document_package(Remote().organ(), [organ_stub()]))
    with pytest.raises(xmlsig.SignatureRefused, match="no signature"):
        xmlsig.verify(root, organ_code="000.00.00.H29", trusted=[], at=NOW)


def organ_stub():
    return edxml.Organ("000.01.37.H37", "UBND xã A")


def test_agency_credential_signs(cred_a, commune_a):
    root = edxml.build_document(document_package(organ(commune_a), [organ_stub()]))
    signed = xmlsig.sign(root, cred_a)
    data = etree.tostring(signed)
    cert = xmlsig.verify(edxml.parse_bytes(data), organ_code=commune_a.code,
                         trusted=[xmlsig.signing_certificate(signed)], at=NOW)
    assert xmlsig.organ_code_of(cert) == commune_a.code
