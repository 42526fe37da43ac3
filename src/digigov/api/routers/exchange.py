"""/api/v1/ endpoints of the exchange app: peers, the outbox and inbox with their states,
statuses received for documents sent, and receiving an edXML package."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from digigov.api.access import json_response
from digigov.api.auth import AUTH
from digigov.api.openapi import PROBLEMS
from digigov.api.pagination import Page, PageParams, paginate
from digigov.api.problems import problem_response
from digigov.core.errors import NotAllowed
from digigov.exchange import edxml, selectors, services
from digigov.exchange.models import Kind, OutboxState, Peer

router = Router(tags=["Liên thông văn bản (edXML)"], auth=AUTH)


class PeerOut(Schema):
    uuid: UUID
    name: str
    endpoint_url: str
    organ_codes: list[str]
    fingerprint: str = Field(description="SHA-256 của chứng thư đã đăng ký.")
    waiting: int = Field(description="Số gói tin đang chờ gửi tới hệ thống này.")
    created_at: dt.datetime


class PeerIn(Schema):
    name: str = Field(max_length=200)
    endpoint_url: str = Field(max_length=500, description="Địa chỉ nhận gói tin (HTTPS).")
    organ_codes: list[str] = Field(description="Mã định danh các cơ quan của hệ thống đó.")
    certificate_pem: str = Field(description="Chứng thư ký số hoặc chứng thư CA (PEM).")


class OutboxOut(Schema):
    package_id: UUID
    kind: str = Field(description="document hoặc status.")
    document_id: str
    business_type: int | None
    status_code: str
    sender_code: str
    recipient_code: str
    subject: str
    destination: str = Field(description="local hoặc tên hệ thống liên thông.")
    seq: int = Field(description="Thứ tự của gói tin trên kênh gửi tới nơi nhận.")
    state: str = Field(description="pending, delivered hoặc refused.")
    attempts: int
    next_attempt_at: dt.datetime
    last_error: str
    delivered_at: dt.datetime | None
    created_at: dt.datetime
    size: int


class InboxOut(Schema):
    package_id: UUID
    kind: str
    document_id: str
    business_type: int | None
    status_code: str
    sender_code: str
    sender_name: str
    recipient_code: str
    subject: str
    peer: str | None
    state: str = Field(description="registered, refused hoặc recorded.")
    note: str
    signer_subject: str
    received_at: dt.datetime
    incoming_document: UUID | None = Field(
        None, description="Văn bản đến mà gói tin đã vào sổ (hoặc thu hồi, cập nhật, thay "
                          "thế), nếu người gọi được xem văn bản đó: "
                          "`/api/v1/documents/incoming/{uuid}`.")


class StatusOut(Schema):
    document_id: str
    recipient_code: str
    status_code: str
    label: str
    description: str
    at: dt.datetime


class OutboxFilters(Schema):
    state: str = Field("", description="pending, delivered hoặc refused.")
    kind: str = Field("", description="document hoặc status.")


class ReceivedOut(Schema):
    result: str = Field(description="accepted, hoặc duplicate nếu gói tin đã nhận trước đó.")
    kind: str
    package_id: str
    document_id: str
    states: list[str]


def _official(user) -> None:
    if not (user.is_superuser or user.is_official):
        raise NotAllowed(_("Chỉ cán bộ, công chức mới xem được liên thông văn bản."))


def _peer(peer: Peer) -> dict:
    return {"uuid": peer.uuid, "name": peer.name, "endpoint_url": peer.endpoint_url,
            "organ_codes": peer.organ_codes, "fingerprint": peer.fingerprint,
            "waiting": getattr(peer, "waiting", 0), "created_at": peer.created_at}


def _outbox(m) -> dict:
    return {"package_id": m.uuid, "kind": m.kind, "document_id": m.document_id,
            "business_type": m.business_type, "status_code": m.status_code,
            "sender_code": m.sender_code, "recipient_code": m.recipient_code,
            "subject": m.subject, "seq": m.seq, "state": m.state, "attempts": m.attempts,
            "destination": m.channel.peer.name if m.channel.peer_id else "local",
            "next_attempt_at": m.next_attempt_at, "last_error": m.last_error,
            "delivered_at": m.delivered_at, "created_at": m.created_at, "size": m.size}


def _inbox(m) -> dict:
    return {"package_id": m.package_id, "kind": m.kind, "document_id": m.document_id,
            "business_type": m.business_type, "status_code": m.status_code,
            "sender_code": m.sender_code, "sender_name": m.sender_name,
            "recipient_code": m.recipient_code, "subject": m.subject,
            "peer": m.peer.name if m.peer_id else None, "state": m.state, "note": m.note,
            "signer_subject": m.signer_subject, "received_at": m.received_at,
            "incoming_document": getattr(m, "incoming_uuid", None)}


@router.get("/exchange/peers", response={200: list[PeerOut], **PROBLEMS(401, 403)},
            summary="Các hệ thống liên thông")
def list_peers(request: HttpRequest):
    """The peers this instance exchanges with, the organ codes each serves."""
    _official(request.auth)
    return [_peer(p) for p in selectors.peers()]


@router.post("/exchange/peers", response={201: PeerOut, **PROBLEMS(401, 403, 422)},
             summary="Đăng ký hệ thống liên thông")
def add_peer(request: HttpRequest, payload: PeerIn):
    """Agency administrators register another instance: its endpoint, the organ codes it
    serves and the certificate (or CA) its packages are signed with."""
    peer = services.add_peer(name=payload.name, endpoint_url=payload.endpoint_url,
                             certificate_pem=payload.certificate_pem,
                             organ_codes=payload.organ_codes, actor=request.auth)
    return json_response(PeerOut, _peer(peer), status=201)


@router.delete("/exchange/peers/{uuid}", response={204: None, **PROBLEMS(401, 403, 404, 409)},
               summary="Gỡ hệ thống liên thông")
def remove_peer(request: HttpRequest, uuid: UUID):
    """Refused (409) while packages to the peer are still waiting."""
    services.remove_peer(get_object_or_404(Peer, uuid=uuid, is_active=True),
                         actor=request.auth)
    return HttpResponse(status=204)


@router.get("/exchange/outbox", response={200: Page[OutboxOut], **PROBLEMS(401, 403, 422)},
            summary="Gói tin gửi đi")
def list_outbox(request: HttpRequest, filters: Query[OutboxFilters],
                pagination: Query[PageParams]):
    """Packages sent by the caller's agencies, newest first, with their delivery state."""
    _official(request.auth)
    state = filters.state if filters.state in OutboxState.values else ""
    kind = filters.kind if filters.kind in Kind.values else ""
    page = paginate(request, selectors.visible_outbox(request.auth, state=state, kind=kind),
                    pagination)
    page["items"] = [_outbox(m) for m in page["items"]]
    return page


@router.post("/exchange/outbox/{package_id}/retry",
             response={200: OutboxOut, **PROBLEMS(401, 403, 404, 409)},
             summary="Gửi lại gói tin ngay")
def retry_package(request: HttpRequest, package_id: UUID):
    """A waiting package is tried at once; a refused one is queued again."""
    _official(request.auth)
    message = get_object_or_404(selectors.visible_outbox(request.auth), uuid=package_id)
    message = services.retry_now(message, actor=request.auth)
    services.deliver_channel(message.channel)
    message.refresh_from_db()
    return _outbox(message)


@router.get("/exchange/inbox", response={200: Page[InboxOut], **PROBLEMS(401, 403, 422)},
            summary="Gói tin nhận được")
def list_inbox(request: HttpRequest, pagination: Query[PageParams], kind: str = ""):
    _official(request.auth)
    qs = selectors.visible_inbox(request.auth, kind=kind if kind in Kind.values else "")
    page = paginate(request, qs, pagination)
    page["items"] = [_inbox(m)
                     for m in selectors.with_document_links(request.auth, page["items"])]
    return page


@router.get("/exchange/statuses", response={200: list[StatusOut], **PROBLEMS(401, 403)},
            summary="Trạng thái của văn bản đã gửi")
def list_statuses(request: HttpRequest, document_id: str):
    """Statuses the recipients reported back (01 arrived, 03 registered, ...) for a
    DocumentId sent by one of the caller's agencies."""
    _official(request.auth)
    sent = selectors.visible_outbox(request.auth, kind=Kind.DOCUMENT).filter(
        document_id=document_id)
    if not sent.exists():
        return []
    return [{"document_id": s.document_id, "recipient_code": s.recipient_code,
             "status_code": s.status_code,
             "label": str(services.STATUS_LABELS.get(s.status_code, s.status_code)),
             "description": s.description, "at": s.at}
            for s in selectors.statuses_of(document_id)]


@router.post("/exchange/packages", auth=None,
             response={200: ReceivedOut, **PROBLEMS(400, 403, 413, 422)},
             summary="Nhận gói tin edXML",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/xml": {"schema": {"type": "string"}}}}})
def receive_package(request: HttpRequest):
    """A peer delivers one signed edXML package (the XML as the body). No API key: the
    package's XML signature, checked against the certificate registered for the sending
    organ code, authenticates it. The same as `POST /lien-thong/edxml/`."""
    if len(request.body) > edxml.MAX_PACKAGE_BYTES:
        return problem_response(request, status=413, code="payload_too_large",
                                detail=_("Gói tin quá lớn."))
    received = services.receive_package(request.body,
                                        remote_addr=request.META.get("REMOTE_ADDR", ""))
    return {"result": received.outcome, "kind": received.kind,
            "package_id": received.package_id, "document_id": received.document_id,
            "states": received.states}


