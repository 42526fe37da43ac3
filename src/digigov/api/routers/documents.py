"""/api/v1/ endpoints of the documents app: outgoing and incoming official documents,
search, registers (Decree 30/2020/ND-CP)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from digigov.accounts.models import Role, User
from digigov.api.access import json_response
from digigov.api.auth import AUTH
from digigov.api.openapi import PROBLEMS
from digigov.api.pagination import Page, PageParams, _link, paginate
from digigov.core.errors import InvalidInput, NotAllowed, NotFound
from digigov.documents import clearances, selectors, services
from digigov.documents.models import IncomingDocument, OutgoingDocument
from digigov.documents.permissions import require_role, visible_incoming, visible_outgoing
from digigov.orgs.models import Agency

router = Router(tags=["Văn bản đi, văn bản đến"], auth=AUTH)


# -- schemas ------------------------------------------------------------------------------
class FileIn(Schema):
    filename: str = Field(max_length=255)
    media_type: str = "application/pdf"
    content_base64: str = Field(description="Nội dung tệp, mã hóa base64.")


class RecipientIn(Schema):
    kind: str = Field(description="unit, person hoặc external.")
    unit_code: str = Field("", description="Mã định danh đơn vị trong cơ quan (kind=unit).")
    person_uuid: UUID | None = Field(None, description="Cán bộ nhận (kind=person).")
    organ_code: str = Field("", description="Mã định danh cơ quan ngoài (kind=external).")
    name: str = ""


class DraftIn(Schema):
    agency_code: str
    type_code: str = Field(description="Mã loại văn bản (cong_van, quyet_dinh, ...) "
                                       "hoặc chữ viết tắt (QĐ, CV).")
    subject: str
    body: str = ""
    urgency: str = ""
    secrecy: str = ""
    drafting_unit: str = ""
    recipients: list[RecipientIn] = []
    recipients_text: str = ""
    copies: int = 1
    due_on: dt.date | None = None
    attachments: list[FileIn] = []


class SubmitIn(Schema):
    approver_uuid: UUID
    reviewer_uuids: list[UUID] = []


class ReviewIn(Schema):
    accept: bool
    comment: str = ""


class SignIn(Schema):
    signer_title: str
    authority: str = ""
    authority_of: str = ""


class IssueIn(Schema):
    keeping_unit: str = ""
    note: str = ""


class RecipientOut(Schema):
    kind: str
    name: str
    organ_code: str
    sent_at: dt.datetime | None
    status: str


class StatusOut(Schema):
    recipient_code: str
    status: str
    label: str
    at: dt.datetime
    note: str


class OutgoingOut(Schema):
    uuid: UUID
    agency_code: str
    type_code: str
    type_name: str
    subject: str
    status: str
    status_label: str
    number: int | None
    notation: str
    number_notation: str
    issued_on: dt.date | None
    urgency: str
    secrecy: str
    document_id: str
    drafter: str
    signer_name: str
    created_at: dt.datetime
    issued_at: dt.datetime | None


class OutgoingDetailOut(OutgoingOut):
    body: str
    recipients: list[RecipientOut]
    exchange_statuses: list[StatusOut]
    attachments: list[str]
    pdf_url: str
    sha256: str


class IncomingOut(Schema):
    uuid: UUID
    recipient_code: str
    incoming_number: int
    year: int
    source: str
    sender_code: str
    sender_name: str
    document_id: str
    number_notation: str
    issued_on: dt.date
    type_code: str
    type_name: str
    subject: str
    status: str
    status_label: str
    received_at: dt.datetime
    deadline: dt.date | None
    overdue: bool
    secrecy: str
    signatures_valid: bool | None


class AssignmentOut(Schema):
    unit_code: str | None
    person: str | None
    role: str
    deadline: dt.date | None
    directions: str


class NoteOut(Schema):
    kind: str
    author: str
    text: str
    at: dt.datetime


class ExchangePackageOut(Schema):
    received_at: dt.datetime
    sender_code: str
    sender_name: str
    document_id: str
    package_id: str
    business_type: int | None = Field(description="Loại nghiệp vụ edXML: 0 mới, 1 thu hồi, "
                                                   "2 cập nhật, 3 thay thế.")


class IncomingDetailOut(IncomingOut):
    body: str
    assignments: list[AssignmentOut]
    notes: list[NoteOut]
    sender_notices: list[StatusOut]
    attachments: list[str]
    verification: list[dict]
    exchange_packages: list[ExchangePackageOut] = Field(
        description="Các gói tin liên thông đã đến cho văn bản này (văn bản điện tử).")


class PaperIn(Schema):
    recipient_code: str
    sender_name: str
    sender_code: str = ""
    number: str
    notation: str = ""
    issued_on: dt.date
    type_code: str
    subject: str
    signer_name: str = ""
    due_on: dt.date | None = None
    urgency: str = ""
    secrecy: str = ""
    scan: FileIn


class TargetIn(Schema):
    unit_code: str = ""
    person_uuid: UUID | None = None
    role: str = "main"


class AssignIn(Schema):
    targets: list[TargetIn]
    deadline: dt.date | None = None
    working_days: int | None = None
    directions: str = ""


class NoteIn(Schema):
    kind: str = Field(description="opinion, progress hoặc follow_up.")
    text: str


class CompleteIn(Schema):
    result: str


class SearchHit(Schema):
    direction: str
    uuid: UUID
    number_notation: str
    type_name: str
    subject: str
    issuer: str
    date: dt.date
    status: str


class RegisterOut(Schema):
    agency_code: str
    year: int
    direction: str
    secret: bool
    columns: list[str]
    rows: list[list[str]]


class Filters(Schema):
    q: str = ""
    type_code: str = ""
    issuer: str = ""
    status: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


# -- presenters ---------------------------------------------------------------------------
def _outgoing(d: OutgoingDocument) -> dict:
    return {"uuid": d.uuid, "agency_code": d.agency.code, "type_code": d.type_code,
            "type_name": d.type_name, "subject": d.subject, "status": d.status,
            "status_label": str(d.get_status_display()), "number": d.number,
            "notation": d.notation, "number_notation": d.number_notation,
            "issued_on": d.issued_on, "urgency": d.urgency, "secrecy": d.secrecy,
            "document_id": d.document_id, "drafter": d.drafter.full_name,
            "signer_name": d.signer_name, "created_at": d.created_at, "issued_at": d.issued_at}


def _outgoing_detail(request, d: OutgoingDocument) -> dict:
    data = _outgoing(d)
    data.update(
        body=d.body, sha256=d.sha256,
        recipients=[{"kind": r.kind, "name": r.name, "organ_code": r.organ_code,
                     "sent_at": r.sent_at, "status": r.status} for r in d.recipients.all()],
        exchange_statuses=[{"recipient_code": s.recipient_code, "status": s.status,
                            "label": s.label, "at": s.at, "note": s.note}
                           for s in d.exchange_statuses.all()],
        attachments=[a.filename for a in d.attachments.all()],
        pdf_url=request.build_absolute_uri(f"/api/v1/documents/outgoing/{d.uuid}/pdf"))
    return data


def _incoming(d: IncomingDocument) -> dict:
    return {"uuid": d.uuid, "recipient_code": d.recipient.code,
            "incoming_number": d.incoming_number, "year": d.year, "source": d.source,
            "sender_code": d.sender_code, "sender_name": d.sender_name,
            "document_id": d.document_id, "number_notation": d.number_notation,
            "issued_on": d.issued_on, "type_code": d.type_code, "type_name": d.type_name,
            "subject": d.subject, "status": d.status,
            "status_label": str(d.get_status_display()), "received_at": d.received_at,
            "deadline": d.deadline, "overdue": d.is_overdue, "secrecy": d.secrecy,
            "signatures_valid": d.signatures_valid}


def _incoming_detail(d: IncomingDocument) -> dict:
    data = _incoming(d)
    data.update(
        body=d.body, verification=d.verification,
        assignments=[{"unit_code": a.unit.code if a.unit_id else None,
                      "person": a.person.full_name if a.person_id else None, "role": a.role,
                      "deadline": a.deadline, "directions": a.directions}
                     for a in d.assignments.select_related("unit", "person")],
        notes=[{"kind": n.kind, "author": n.author.full_name, "text": n.text, "at": n.at}
               for n in d.notes.select_related("author")],
        sender_notices=[{"recipient_code": n.sender_code, "status": n.status, "label": n.label,
                         "at": n.at, "note": n.note} for n in d.sender_notices.all()],
        attachments=[a.filename for a in d.attachments.all()],
        exchange_packages=[{"received_at": p.received_at, "sender_code": p.sender_code,
                            "sender_name": p.sender_name, "document_id": p.document_id,
                            "package_id": str(p.package_id), "business_type": p.business_type}
                           for p in selectors.exchange_packages(d)])
    return data


def _decode(file: FileIn, field: str) -> tuple[str, str, bytes]:
    try:
        content = base64.b64decode(file.content_base64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput(_("Nội dung tệp không phải base64 hợp lệ."),
                           fields={field: [_("Không phải base64.")]}) from exc
    return file.filename, file.media_type, content


def _agency(code: str, field: str) -> Agency:
    agency = Agency.objects.filter(code=code.strip().upper()).first()
    if agency is None:
        raise InvalidInput(_("Không có cơ quan mã %(code)s.") % {"code": code},
                           fields={field: [_("Không tồn tại.")]})
    return agency


def _user(uuid: UUID | None, field: str) -> User:
    user = User.objects.filter(uuid=uuid).first() if uuid else None
    if user is None:
        raise InvalidInput(_("Không có cán bộ này."), fields={field: [_("Không tồn tại.")]})
    return user


def _out(request, uuid) -> OutgoingDocument:
    return get_object_or_404(visible_outgoing(request.auth).select_related("agency", "drafter"),
                             uuid=uuid)


def _in(request, uuid) -> IncomingDocument:
    return get_object_or_404(visible_incoming(request.auth).select_related("recipient"),
                             uuid=uuid)


def _filters(f: Filters, direction: str) -> selectors.Filters:
    return selectors.Filters(q=f.q, type_code=f.type_code, issuer=f.issuer, status=f.status,
                             date_from=f.date_from, date_to=f.date_to, direction=direction)


# -- outgoing -----------------------------------------------------------------------------
@router.get("/documents/outgoing", response={200: Page[OutgoingOut], **PROBLEMS(401, 422)},
            summary="Văn bản đi")
def list_outgoing(request: HttpRequest, filters: Query[Filters],
                  pagination: Query[PageParams]):
    """Outgoing documents the caller may see (by unit and secrecy clearance), newest first;
    `q` searches subject, body and attachments' text, diacritics ignored."""
    page = paginate(request, selectors.outgoing(request.auth, _filters(filters, "out")),
                    pagination)
    page["items"] = [_outgoing(d) for d in page["items"]]
    return page


@router.post("/documents/outgoing", response={201: OutgoingDetailOut, **PROBLEMS(401, 403, 422)},
             summary="Soạn dự thảo văn bản đi")
def create_outgoing(request: HttpRequest, payload: DraftIn):
    agency = _agency(payload.agency_code, "agency_code")
    recipients = []
    for r in payload.recipients:
        if r.kind == "unit":
            recipients.append({"kind": "unit", "unit": _agency(r.unit_code, "recipients")})
        elif r.kind == "person":
            recipients.append({"kind": "person", "person": _user(r.person_uuid, "recipients")})
        else:
            recipients.append({"kind": r.kind, "organ_code": r.organ_code, "name": r.name})
    document = services.create_draft(
        actor=request.auth, agency=agency, type_code=payload.type_code, subject=payload.subject,
        body=payload.body, urgency=payload.urgency, secrecy=payload.secrecy,
        drafting_unit=payload.drafting_unit, recipients=recipients,
        recipients_text=payload.recipients_text, copies=payload.copies, due_on=payload.due_on,
        attachments=[_decode(a, "attachments") for a in payload.attachments])
    return json_response(OutgoingDetailOut, _outgoing_detail(request, document), status=201)


@router.get("/documents/outgoing/{uuid}", response={200: OutgoingDetailOut, **PROBLEMS(401, 404)},
            summary="Chi tiết văn bản đi")
def get_outgoing(request: HttpRequest, uuid: UUID):
    return _outgoing_detail(request, _out(request, uuid))


@router.get("/documents/outgoing/{uuid}/pdf", response={200: None, **PROBLEMS(401, 404)},
            summary="Tệp PDF của văn bản đi (đã ký, hoặc bản xem trước)")
def outgoing_pdf(request: HttpRequest, uuid: UUID):
    document = _out(request, uuid)
    if document.signed_pdf:
        data = services.read_file(document.signed_pdf)
    else:
        data = services.render_pdf(document).pdf
    return HttpResponse(data, content_type="application/pdf")


@router.post("/documents/outgoing/{uuid}/submit",
             response={200: OutgoingDetailOut, **PROBLEMS(401, 403, 404, 409, 422)},
             summary="Trình dự thảo")
def submit_outgoing(request: HttpRequest, uuid: UUID, payload: SubmitIn):
    document = services.submit(
        _out(request, uuid), actor=request.auth,
        approver=_user(payload.approver_uuid, "approver_uuid"),
        reviewers=[_user(u, "reviewer_uuids") for u in payload.reviewer_uuids])
    return _outgoing_detail(request, document)


@router.post("/documents/outgoing/{uuid}/review",
             response={200: OutgoingDetailOut, **PROBLEMS(401, 403, 404, 409, 422)},
             summary="Cho ý kiến: đồng ý hoặc trả lại")
def review_outgoing(request: HttpRequest, uuid: UUID, payload: ReviewIn):
    document = services.review(_out(request, uuid), actor=request.auth, accept=payload.accept,
                               comment=payload.comment)
    return _outgoing_detail(request, document)


@router.post("/documents/outgoing/{uuid}/sign",
             response={200: OutgoingDetailOut, **PROBLEMS(401, 403, 404, 409, 422, 503)},
             summary="Người có thẩm quyền ký số (cấp số)")
def sign_outgoing(request: HttpRequest, uuid: UUID, payload: SignIn):
    document = services.sign(_out(request, uuid), actor=request.auth,
                             signer_title=payload.signer_title, authority=payload.authority,
                             authority_of=payload.authority_of)
    return _outgoing_detail(request, document)


@router.post("/documents/outgoing/{uuid}/issue",
             response={200: OutgoingDetailOut, **PROBLEMS(401, 403, 404, 409, 422, 503)},
             summary="Văn thư ký số cơ quan, vào sổ, phát hành")
def issue_outgoing(request: HttpRequest, uuid: UUID, payload: IssueIn):
    document = services.issue(_out(request, uuid), actor=request.auth,
                              keeping_unit=payload.keeping_unit, note=payload.note)
    return _outgoing_detail(request, document)


# -- incoming -----------------------------------------------------------------------------
@router.get("/documents/incoming", response={200: Page[IncomingOut], **PROBLEMS(401, 422)},
            summary="Văn bản đến")
def list_incoming(request: HttpRequest, filters: Query[Filters],
                  pagination: Query[PageParams]):
    """Incoming documents the caller may see; `status=overdue` lists the overdue ones."""
    page = paginate(request, selectors.incoming(request.auth, _filters(filters, "in")),
                    pagination)
    page["items"] = [_incoming(d) for d in page["items"]]
    return page


@router.post("/documents/incoming",
             response={201: IncomingDetailOut, **PROBLEMS(401, 403, 422)},
             summary="Vào sổ văn bản đến giấy (bản quét và thông tin)")
def register_paper(request: HttpRequest, payload: PaperIn):
    document = services.register_incoming_paper(
        actor=request.auth, recipient=_agency(payload.recipient_code, "recipient_code"),
        sender_name=payload.sender_name, sender_code=payload.sender_code,
        number=payload.number, notation=payload.notation, issued_on=payload.issued_on,
        type_code=payload.type_code, subject=payload.subject,
        signer_name=payload.signer_name, due_on=payload.due_on, urgency=payload.urgency,
        secrecy=payload.secrecy, scan=_decode(payload.scan, "scan"))
    return json_response(IncomingDetailOut, _incoming_detail(document), status=201)


@router.get("/documents/incoming/{uuid}", response={200: IncomingDetailOut, **PROBLEMS(401, 404)},
            summary="Chi tiết văn bản đến")
def get_incoming(request: HttpRequest, uuid: UUID):
    return _incoming_detail(_in(request, uuid))


@router.post("/documents/incoming/{uuid}/assign",
             response={200: IncomingDetailOut, **PROBLEMS(401, 403, 404, 409, 422)},
             summary="Lãnh đạo phân công xử lý")
def assign_incoming(request: HttpRequest, uuid: UUID, payload: AssignIn):
    targets = []
    for t in payload.targets:
        if t.person_uuid:
            targets.append({"person": _user(t.person_uuid, "targets"), "role": t.role})
        else:
            targets.append({"unit": _agency(t.unit_code, "targets"), "role": t.role})
    document = services.assign(_in(request, uuid), actor=request.auth, targets=targets,
                               deadline=payload.deadline, working_days=payload.working_days,
                               directions=payload.directions)
    return _incoming_detail(document)


@router.post("/documents/incoming/{uuid}/start",
             response={200: IncomingDetailOut, **PROBLEMS(401, 403, 404, 409)},
             summary="Bắt đầu xử lý")
def start_incoming(request: HttpRequest, uuid: UUID):
    return _incoming_detail(services.start_processing(_in(request, uuid), actor=request.auth))


@router.post("/documents/incoming/{uuid}/notes",
             response={200: IncomingDetailOut, **PROBLEMS(401, 403, 404, 409, 422)},
             summary="Ý kiến, tiến độ, đôn đốc")
def note_incoming(request: HttpRequest, uuid: UUID, payload: NoteIn):
    document = _in(request, uuid)
    services.add_note(document, actor=request.auth, kind=payload.kind, text=payload.text)
    return _incoming_detail(document)


@router.post("/documents/incoming/{uuid}/complete",
             response={200: IncomingDetailOut, **PROBLEMS(401, 403, 404, 409, 422)},
             summary="Hoàn thành xử lý")
def complete_incoming(request: HttpRequest, uuid: UUID, payload: CompleteIn):
    document = services.complete(_in(request, uuid), actor=request.auth, result=payload.result)
    return _incoming_detail(document)


# -- search and registers -----------------------------------------------------------------
@router.get("/documents/search", response={200: Page[SearchHit], **PROBLEMS(401, 422)},
            summary="Tìm kiếm văn bản đi và đến")
def search_documents(request: HttpRequest, filters: Query[Filters],
                     pagination: Query[PageParams], direction: str = ""):
    if direction not in ("", "in", "out"):
        raise InvalidInput(_("Chiều văn bản là in, out hoặc để trống."),
                           fields={"direction": [_("Không hợp lệ.")]})
    total, hits = selectors.search(request.auth, _filters(filters, direction),
                                   limit=pagination.limit, offset=pagination.offset)
    items = []
    for hit in hits:
        d = hit.document
        items.append({"direction": hit.direction, "uuid": d.uuid,
                      "number_notation": d.number_notation, "type_name": d.type_name,
                      "subject": d.subject, "date": hit.date, "status": d.status,
                      "issuer": d.agency.name if hit.direction == "out" else d.sender_name})
    limit, offset = pagination.limit, pagination.offset
    return {"count": total, "limit": limit, "offset": offset,
            "next": _link(request, offset + limit, limit) if offset + limit < total else None,
            "previous": _link(request, max(0, offset - limit), limit) if offset else None,
            "items": items}


@router.get("/documents/registers/{direction}",
            response={200: RegisterOut, **PROBLEMS(401, 403, 404, 422)},
            summary="Sổ đăng ký văn bản đi (out) hoặc đến (in), 10 cột theo Phụ lục IV")
def register(request: HttpRequest, direction: str, agency_code: str, year: int,
             secret: bool = False, format: str = "json"):  # noqa: A002 - the query name
    if direction not in ("in", "out"):
        raise NotFound(_("Sổ đăng ký là in hoặc out."))
    agency = _agency(agency_code, "agency_code")
    user = request.auth
    if not (user.is_superuser or agency.pk in user.role_agency_ids(Role.CLERK, Role.LEADER)):
        raise NotAllowed(_("Chỉ văn thư và lãnh đạo của cơ quan xem được sổ đăng ký."))
    if format == "pdf":
        data = selectors.register_pdf(agency, year, direction=direction, secret=secret,
                                      user=user)
        return HttpResponse(data, content_type="application/pdf")
    if direction == "out":
        columns = selectors.OUTGOING_COLUMNS
        rows = selectors.outgoing_register(agency, year, secret=secret, user=user)
    else:
        columns = selectors.INCOMING_COLUMNS
        rows = selectors.incoming_register(agency, year, secret=secret, user=user)
    return {"agency_code": agency.code, "year": year, "direction": direction, "secret": secret,
            "columns": [str(c) for c in columns], "rows": rows}


# -- the agency's settings ----------------------------------------------------------------
class ClearanceOut(Schema):
    user_uuid: UUID
    user_name: str
    level: str = Field(description="mat (Mật), toi_mat (Tối mật) hoặc tuyet_mat (Tuyệt mật).")
    granted_at: dt.datetime


class ClearanceIn(Schema):
    agency_code: str
    user_uuid: UUID
    level: str = Field(description="mat, toi_mat hoặc tuyet_mat; rỗng để thu hồi quyền.")


class IssuerProfileIn(Schema):
    abbreviation: str = Field(max_length=30, description="Như “UBND” trong 05/QĐ-UBND.")
    place: str = Field("", max_length=100)


class IssuerProfileOut(Schema):
    agency_code: str
    abbreviation: str
    place: str


def _clearance(c) -> dict:
    return {"user_uuid": c.user.uuid, "user_name": c.user.full_name, "level": c.level,
            "granted_at": c.granted_at}


@router.get("/documents/clearances", response={200: list[ClearanceOut], **PROBLEMS(401, 403, 422)},
            summary="Quyền tiếp cận văn bản mật của một cơ quan")
def list_clearances(request: HttpRequest, agency_code: str):
    """Agency administrators only."""
    agency = _agency(agency_code, "agency_code")
    require_role(request.auth, agency, Role.AGENCY_ADMIN)
    return [_clearance(c) for c in clearances.of_agency(agency)]


@router.put("/documents/clearances",
            response={200: ClearanceOut, 204: None, **PROBLEMS(401, 403, 422)},
            summary="Cấp, đổi hoặc thu hồi quyền tiếp cận văn bản mật")
def put_clearance(request: HttpRequest, payload: ClearanceIn):
    """An agency administrator clears an official of the agency (or of a unit under it) up
    to a secrecy level; an empty level withdraws the clearance (204)."""
    agency = _agency(payload.agency_code, "agency_code")
    granted = clearances.grant(actor=request.auth, agency=agency,
                               user=_user(payload.user_uuid, "user_uuid"), level=payload.level)
    return (200, _clearance(granted)) if granted else (204, None)


@router.put("/documents/issuer-profiles/{agency_code}",
            response={200: IssuerProfileOut, **PROBLEMS(401, 403, 422)},
            summary="Chữ viết tắt và địa danh cơ quan ghi trên văn bản")
def put_issuer_profile(request: HttpRequest, agency_code: str, payload: IssuerProfileIn):
    """Clerks and agency administrators of the agency."""
    agency = _agency(agency_code, "agency_code")
    profile = services.set_issuer_profile(actor=request.auth, agency=agency,
                                          abbreviation=payload.abbreviation,
                                          place=payload.place)
    return {"agency_code": agency.code, "abbreviation": profile.abbreviation,
            "place": profile.place}
