"""Building, validating and reading edXML packages."""

import datetime as dt

import pytest
from lxml import etree

from digigov.exchange import edxml

from .conftest import PDF, REMOTE_CODE, document_package, status_package

SENDER = edxml.Organ(code="000.01.37.H37", name="UBND xã A", email="xa-a@langson.gov.vn",
                     phone="0205 3812 345", address="Thôn Bản, xã A")
RECIPIENT = edxml.Organ(code=REMOTE_CODE, name="UBND Thành phố Hồ Chí Minh")


def unsigned_valid(root):
    # The XSD wants a ds:Signature element; the placeholder stands in before signing.
    return edxml.validate(root)


def test_document_round_trip():
    package = document_package(SENDER, [RECIPIENT], number="05", notation="QĐ-UBND",
                                business_type=3, business_reason="Thay thế văn bản số 04")
    root = edxml.build_document(package)
    assert unsigned_valid(root) == "document"
    back = edxml.read(edxml.parse_bytes(edxml.serialize(root)))
    assert back == package
    assert back.document_id == "000.01.37.H37,2026/11/20,05/QĐ-UBND"
    assert back.attachments[0].data == PDF
    assert back.sender.email == "xa-a@langson.gov.vn"


def test_document_id_shape():
    assert edxml.make_document_id("000.00.00.H37", dt.date(2026, 1, 5), "123",
                                  "UBND-VP") == "000.00.00.H37,2026/01/05,123/UBND-VP"


def test_xml_uses_the_edxml_names():
    root = edxml.build_document(document_package(SENDER, [RECIPIENT]))
    ns = {"edXML": edxml.NS}
    for path in ("edXML:edXMLHeader/edXML:MessageHeader/edXML:From/edXML:OrganId",
                 "edXML:edXMLHeader/edXML:MessageHeader/edXML:Code/edXML:CodeNotation",
                 "edXML:edXMLHeader/edXML:MessageHeader/edXML:OtherInfo/edXML:Priority",
                 "edXML:edXMLHeader/edXML:MessageHeader/edXML:SignerInfo/edXML:Competence",
                 "edXML:edXMLHeader/edXML:TraceHeaderList/edXML:TraceHeader/edXML:Timestamp",
                 "edXML:edXMLHeader/edXML:edXMLBusiness/edXML:BusinessDocType",
                 "edXML:edXMLManifest/edXML:Reference/edXML:Sha256",
                 "edXML:edXMLAttachments/edXML:Attachment"):
        assert root.find(path, ns) is not None, path


def test_status_round_trip():
    package = status_package(RECIPIENT, SENDER, "000.01.37.H37,2026/11/20,05/QĐ-UBND", "02",
                             description="Sai nơi nhận", mobile="0912345678")
    root = edxml.build_status(package)
    assert edxml.validate(root) == "status"
    assert edxml.read(edxml.parse_bytes(edxml.serialize(root))) == package


@pytest.mark.parametrize("change, fault", [
    ({"priority": 7}, "Priority"),
    ({"business_type": 5}, "BusinessDocType"),
    ({"subject": "   "}, "Subject"),
    ({"document_id": "không phải DocumentId"}, "DocumentId"),
    ({"recipients": [edxml.Organ(code="xa a", name="UBND xã A")]}, "OrganId"),
    ({"package_id": "123"}, "PackageId"),
])
def test_invalid_documents_fail_the_schema(change, fault):
    change.setdefault("recipients", [RECIPIENT])
    root = edxml.build_document(document_package(SENDER, **change))
    with pytest.raises(edxml.PackageError, match=fault):
        edxml.validate(root)


def test_missing_element_fails_the_schema():
    root = edxml.build_document(document_package(SENDER, [RECIPIENT]))
    subject = root.find(".//edXML:Subject", {"edXML": edxml.NS})
    subject.getparent().remove(subject)
    with pytest.raises(edxml.PackageError, match="line"):
        edxml.validate(root)


def test_status_code_outside_01_16_fails():
    root = edxml.build_status(status_package(RECIPIENT, SENDER, "000.01.37.H37,2026/11/20,1/X",
                                             "17"))
    with pytest.raises(edxml.PackageError, match="StatusCode"):
        edxml.validate(root)


def test_wrong_root_and_bad_xml_are_refused():
    with pytest.raises(edxml.PackageError, match="well-formed"):
        edxml.parse_bytes(b"<edXML:edXMLEnvelope")
    with pytest.raises(edxml.PackageError, match="root element"):
        edxml.validate(etree.fromstring(b"<envelope/>"))


def test_entities_are_not_expanded():
    evil = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<x>&e;</x>')
    root = edxml.parse_bytes(evil)
    assert "root:" not in (root.text or "")


def test_attachment_digest_is_checked():
    root = edxml.build_document(document_package(SENDER, [RECIPIENT]))
    ns = {"edXML": edxml.NS}
    root.find(".//edXML:Attachment", ns).text = "VGFtcGVyZWQ="  # "Tampered"
    with pytest.raises(edxml.PackageError, match="digest"):
        edxml.read(root)


def test_manifest_without_attachment_is_refused():
    root = edxml.build_document(document_package(SENDER, [RECIPIENT]))
    ns = {"edXML": edxml.NS}
    node = root.find(".//edXML:Attachment", ns)
    node.getparent().remove(node)
    with pytest.raises(edxml.PackageError, match="manifest"):
        edxml.read(root)
