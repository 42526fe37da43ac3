"""edXML packages (QCVN 102:2016/BTTTT shape): build, validate against the XSDs, parse.

Two kinds of package share one envelope, ``edXML:edXMLEnvelope``:

* a document package: ``edXMLHeader`` holds the ``MessageHeader`` (who, what, number,
  dates, signer, recipients, priority, ``DocumentId``), the ``TraceHeaderList``, the
  ``edXMLBusiness`` block (0 new, 1 revoke, 2 update, 3 replace), the ``PackageId`` and
  the XML signature; ``edXMLManifest`` lists the attachments, which follow base64-encoded
  in ``edXMLAttachments`` (inside the signed envelope, so the signature covers them);
* a status package: ``edXMLHeader`` holds a ``Status`` (the DocumentId it answers, the
  status code 01-16, description, timestamp, staff), the trace list, the PackageId and
  the signature.

Every package is checked against ``schema/edxml.xsd`` or ``schema/status.xsd`` when it
is built (after signing) and when it is received. Pure functions; no database.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from lxml import etree

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
DS = "http://www.w3.org/2000/09/xmldsig#"
NSMAP = {"edXML": NS}
SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
DOCUMENT_ID_RE = re.compile(r"^[0-9A-Z.]{1,35},\d{4}/\d{2}/\d{2},.+$")
MAX_PACKAGE_BYTES = 64 * 1024 * 1024

BUSINESS_TYPES = {0: "new", 1: "revoke", 2: "update", 3: "replace"}
STATUS_CODES = ("01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12",
                "13", "14", "15", "16")


class PackageError(ValueError):
    """A package that is not well-formed edXML or does not follow the schema."""


@dataclass
class Organ:
    code: str
    name: str
    address: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""


@dataclass
class Attachment:
    name: str
    media_type: str
    data: bytes
    description: str = ""
    content_id: str = field(default="", compare=False)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class ResponseFor:
    organ_code: str
    code: str
    promulgation_date: dt.date
    document_id: str


@dataclass
class DocumentPackage:
    package_id: str
    sender: Organ
    recipients: list[Organ]
    number: str
    notation: str
    place: str
    issued_on: dt.date
    type_code: str
    type_name: str
    subject: str
    content: str
    signer_competence: str
    signer_position: str
    signer_name: str
    document_id: str = ""
    due_on: dt.date | None = None
    to_places: list[str] = field(default_factory=list)
    priority: int = 0
    page_amount: int = 1
    promulgation_amount: int = 1
    appendixes: list[str] = field(default_factory=list)
    response_for: list[ResponseFor] = field(default_factory=list)
    steering_type: int = 0
    business_type: int = 0
    business_reason: str = ""
    traces: list[tuple[str, dt.datetime]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)

    kind = "document"

    def __post_init__(self):
        if not self.document_id:
            self.document_id = make_document_id(self.sender.code, self.issued_on,
                                                self.number, self.notation)


@dataclass
class StatusPackage:
    package_id: str
    sender: Organ  # the agency reporting the status (the recipient of the document)
    recipient: Organ  # the agency that sent the document
    document_id: str
    status_code: str
    timestamp: dt.datetime
    description: str = ""
    response_code: str = ""
    response_date: dt.date | None = None
    department: str = ""
    staff: str = ""
    mobile: str = ""
    email: str = ""
    traces: list[tuple[str, dt.datetime]] = field(default_factory=list)

    kind = "status"


def make_document_id(organ_code: str, issued_on: dt.date, number: str, notation: str) -> str:
    """``<organ id>,<yyyy/MM/dd>,<number/notation>`` (QCVN 102:2016)."""
    code = f"{number}/{notation}" if notation else str(number)
    return f"{organ_code},{issued_on:%Y/%m/%d},{code}"


# --- building -----------------------------------------------------------------------

def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _sub(parent, tag: str, text=None):
    element = etree.SubElement(parent, _q(tag))
    if text is not None:
        element.text = str(text)
    return element


def _ts(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(VN).isoformat(timespec="seconds")


def _organ(parent, tag: str, organ: Organ) -> None:
    node = _sub(parent, tag)
    _sub(node, "OrganId", organ.code)
    _sub(node, "OrganName", organ.name)
    for name, value in (("OrganAdd", organ.address), ("Email", organ.email),
                        ("Telephone", organ.phone), ("Website", organ.website)):
        if value:
            _sub(node, name, value)


def _traces(header, traces) -> None:
    trace_list = _sub(header, "TraceHeaderList")
    for organ_code, moment in traces:
        trace = _sub(trace_list, "TraceHeader")
        _sub(trace, "OrganId", organ_code)
        _sub(trace, "Timestamp", _ts(moment))


def _signature_placeholder(parent) -> None:
    # signxml puts the signature here (an enveloped signature over the whole envelope).
    etree.SubElement(parent, f"{{{DS}}}Signature", Id="placeholder", nsmap={"ds": DS})


def build_document(package: DocumentPackage) -> etree._Element:
    """The unsigned envelope, with a placeholder where the signature goes."""
    root = etree.Element(_q("edXMLEnvelope"), nsmap=NSMAP)
    header = _sub(root, "edXMLHeader")
    message = _sub(header, "MessageHeader")
    _organ(message, "From", package.sender)
    for recipient in package.recipients:
        _organ(message, "To", recipient)
    code = _sub(message, "Code")
    _sub(code, "CodeNumber", package.number)
    _sub(code, "CodeNotation", package.notation)
    info = _sub(message, "PromulgationInfo")
    _sub(info, "Place", package.place)
    _sub(info, "PromulgationDate", package.issued_on.isoformat())
    doc_type = _sub(message, "DocumentType")
    _sub(doc_type, "Type", package.type_code)
    _sub(doc_type, "TypeName", package.type_name)
    _sub(message, "Subject", package.subject)
    _sub(message, "Content", package.content)
    signer = _sub(message, "SignerInfo")
    _sub(signer, "Competence", package.signer_competence)
    _sub(signer, "Position", package.signer_position)
    _sub(signer, "FullName", package.signer_name)
    if package.due_on:
        _sub(message, "DueDate", package.due_on.isoformat())
    places = _sub(message, "ToPlaces")
    for place in package.to_places:
        _sub(places, "Place", place)
    other = _sub(message, "OtherInfo")
    _sub(other, "Priority", package.priority)
    _sub(other, "PromulgationAmount", package.promulgation_amount)
    _sub(other, "PageAmount", package.page_amount)
    appendixes = _sub(other, "Appendixes")
    for appendix in package.appendixes:
        _sub(appendixes, "Appendix", appendix)
    for ref in package.response_for:
        node = _sub(message, "ResponseFor")
        _sub(node, "OrganId", ref.organ_code)
        _sub(node, "Code", ref.code)
        _sub(node, "PromulgationDate", ref.promulgation_date.isoformat())
        _sub(node, "DocumentId", ref.document_id)
    _sub(message, "SteeringType", package.steering_type)
    _sub(message, "DocumentId", package.document_id)
    _traces(header, package.traces)
    business = _sub(header, "edXMLBusiness")
    _sub(business, "BusinessDocType", package.business_type)
    _sub(business, "BusinessDocReason", package.business_reason)
    _sub(header, "PackageId", package.package_id)
    _signature_placeholder(header)
    manifest = _sub(root, "edXMLManifest")
    attachments = _sub(root, "edXMLAttachments")
    for i, attachment in enumerate(package.attachments, start=1):
        content_id = attachment.content_id or f"att{i}"
        ref = _sub(manifest, "Reference")
        _sub(ref, "ContentId", content_id)
        _sub(ref, "AttachmentName", attachment.name)
        _sub(ref, "ContentType", attachment.media_type)
        _sub(ref, "Description", attachment.description)
        _sub(ref, "Size", len(attachment.data))
        _sub(ref, "Sha256", attachment.sha256)
        node = _sub(attachments, "Attachment", base64.b64encode(attachment.data).decode())
        node.set("ContentId", content_id)
    return root


def build_status(package: StatusPackage) -> etree._Element:
    root = etree.Element(_q("edXMLEnvelope"), nsmap=NSMAP)
    header = _sub(root, "edXMLHeader")
    status = _sub(header, "Status")
    ref = _sub(status, "ResponseFor")
    _sub(ref, "OrganId", package.recipient.code)
    _sub(ref, "Code", package.response_code)
    if package.response_date:
        _sub(ref, "PromulgationDate", package.response_date.isoformat())
    _sub(ref, "DocumentId", package.document_id)
    _organ(status, "From", package.sender)
    _organ(status, "To", package.recipient)
    _sub(status, "StatusCode", package.status_code)
    _sub(status, "Description", package.description)
    _sub(status, "Timestamp", _ts(package.timestamp))
    staff = _sub(status, "StaffInfo")
    _sub(staff, "Department", package.department)
    _sub(staff, "Staff", package.staff)
    if package.mobile:
        _sub(staff, "Mobile", package.mobile)
    if package.email:
        _sub(staff, "Email", package.email)
    _traces(header, package.traces)
    _sub(header, "PackageId", package.package_id)
    _signature_placeholder(header)
    return root


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# --- schema -------------------------------------------------------------------------

@cache
def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / name)))


def kind_of(root: etree._Element) -> str:
    """"document" or "status", from the first child of the header."""
    if root.tag != _q("edXMLEnvelope"):
        raise PackageError(f"the root element must be edXML:edXMLEnvelope, not {root.tag}")
    header = root.find(_q("edXMLHeader"))
    first = header[0] if header is not None and len(header) else None
    if first is not None and first.tag == _q("Status"):
        return "status"
    return "document"


def validate(root: etree._Element) -> str:
    """Check the package against its XSD; the package kind, or PackageError naming the
    first faults (line and message)."""
    kind = kind_of(root)
    schema = _schema("status.xsd" if kind == "status" else "edxml.xsd")
    if not schema.validate(root):
        faults = "; ".join(f"line {e.line}: {e.message}" for e in list(schema.error_log)[:3])
        raise PackageError(f"the {kind} package does not follow the edXML schema: {faults}")
    return kind


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True,
                          remove_blank_text=False)


def parse_bytes(data: bytes) -> etree._Element:
    if len(data) > MAX_PACKAGE_BYTES:
        raise PackageError("the package is too large")
    try:
        return etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise PackageError(f"the package is not well-formed XML: {exc}") from exc


# --- reading ------------------------------------------------------------------------

def _text(node, path: str, default: str = "") -> str:
    found = node.find(path, NSMAP)
    return (found.text or "").strip() if found is not None else default


def _read_organ(node) -> Organ:
    return Organ(code=_text(node, "edXML:OrganId"), name=_text(node, "edXML:OrganName"),
                 address=_text(node, "edXML:OrganAdd"), email=_text(node, "edXML:Email"),
                 phone=_text(node, "edXML:Telephone"), website=_text(node, "edXML:Website"))


def _read_traces(header) -> list[tuple[str, dt.datetime]]:
    return [(_text(t, "edXML:OrganId"), dt.datetime.fromisoformat(_text(t, "edXML:Timestamp")))
            for t in header.iterfind("edXML:TraceHeaderList/edXML:TraceHeader", NSMAP)]


def _date(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def read(root: etree._Element) -> DocumentPackage | StatusPackage:
    """The package's fields; call ``validate`` first (this trusts the structure)."""
    header = root.find("edXML:edXMLHeader", NSMAP)
    if kind_of(root) == "status":
        status = header.find("edXML:Status", NSMAP)
        ref = status.find("edXML:ResponseFor", NSMAP)
        return StatusPackage(
            package_id=_text(header, "edXML:PackageId"),
            sender=_read_organ(status.find("edXML:From", NSMAP)),
            recipient=_read_organ(status.find("edXML:To", NSMAP)),
            document_id=_text(ref, "edXML:DocumentId"),
            response_code=_text(ref, "edXML:Code"),
            response_date=_date(_text(ref, "edXML:PromulgationDate")),
            status_code=_text(status, "edXML:StatusCode"),
            description=_text(status, "edXML:Description"),
            timestamp=dt.datetime.fromisoformat(_text(status, "edXML:Timestamp")),
            department=_text(status, "edXML:StaffInfo/edXML:Department"),
            staff=_text(status, "edXML:StaffInfo/edXML:Staff"),
            mobile=_text(status, "edXML:StaffInfo/edXML:Mobile"),
            email=_text(status, "edXML:StaffInfo/edXML:Email"),
            traces=_read_traces(header))
    message = header.find("edXML:MessageHeader", NSMAP)
    manifest = {_text(ref, "edXML:ContentId"): ref
                for ref in root.iterfind("edXML:edXMLManifest/edXML:Reference", NSMAP)}
    attachments = []
    for node in root.iterfind("edXML:edXMLAttachments/edXML:Attachment", NSMAP):
        content_id = node.get("ContentId", "")
        ref = manifest.get(content_id)
        if ref is None:
            raise PackageError(f"attachment {content_id!r} is not in the manifest")
        try:
            data = base64.b64decode("".join((node.text or "").split()), validate=True)
        except ValueError as exc:
            raise PackageError(f"attachment {content_id!r} is not valid base64") from exc
        attachment = Attachment(name=_text(ref, "edXML:AttachmentName"),
                                media_type=_text(ref, "edXML:ContentType"), data=data,
                                description=_text(ref, "edXML:Description"),
                                content_id=content_id)
        if attachment.sha256 != _text(ref, "edXML:Sha256").lower():
            raise PackageError(f"attachment {content_id!r} does not match its manifest digest")
        attachments.append(attachment)
    if len(attachments) != len(manifest):
        raise PackageError("the manifest lists attachments that the package does not carry")
    return DocumentPackage(
        package_id=_text(header, "edXML:PackageId"),
        sender=_read_organ(message.find("edXML:From", NSMAP)),
        recipients=[_read_organ(n) for n in message.iterfind("edXML:To", NSMAP)],
        number=_text(message, "edXML:Code/edXML:CodeNumber"),
        notation=_text(message, "edXML:Code/edXML:CodeNotation"),
        place=_text(message, "edXML:PromulgationInfo/edXML:Place"),
        issued_on=dt.date.fromisoformat(
            _text(message, "edXML:PromulgationInfo/edXML:PromulgationDate")),
        type_code=_text(message, "edXML:DocumentType/edXML:Type"),
        type_name=_text(message, "edXML:DocumentType/edXML:TypeName"),
        subject=_text(message, "edXML:Subject"),
        content=_text(message, "edXML:Content"),
        signer_competence=_text(message, "edXML:SignerInfo/edXML:Competence"),
        signer_position=_text(message, "edXML:SignerInfo/edXML:Position"),
        signer_name=_text(message, "edXML:SignerInfo/edXML:FullName"),
        due_on=_date(_text(message, "edXML:DueDate")),
        to_places=[(p.text or "").strip()
                   for p in message.iterfind("edXML:ToPlaces/edXML:Place", NSMAP)],
        priority=int(_text(message, "edXML:OtherInfo/edXML:Priority", "0")),
        promulgation_amount=int(_text(message, "edXML:OtherInfo/edXML:PromulgationAmount",
                                      "1")),
        page_amount=int(_text(message, "edXML:OtherInfo/edXML:PageAmount", "1")),
        appendixes=[(a.text or "").strip() for a in message.iterfind(
            "edXML:OtherInfo/edXML:Appendixes/edXML:Appendix", NSMAP)],
        response_for=[ResponseFor(organ_code=_text(r, "edXML:OrganId"),
                                  code=_text(r, "edXML:Code"),
                                  promulgation_date=dt.date.fromisoformat(
                                      _text(r, "edXML:PromulgationDate")),
                                  document_id=_text(r, "edXML:DocumentId"))
                      for r in message.iterfind("edXML:ResponseFor", NSMAP)],
        steering_type=int(_text(message, "edXML:SteeringType", "0")),
        document_id=_text(message, "edXML:DocumentId"),
        business_type=int(_text(header, "edXML:edXMLBusiness/edXML:BusinessDocType", "0")),
        business_reason=_text(header, "edXML:edXMLBusiness/edXML:BusinessDocReason"),
        traces=_read_traces(header),
        attachments=attachments)
