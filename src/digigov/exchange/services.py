"""Exchange use cases: peers, sending packages (outbox), delivering them in order with
retries, receiving packages (inbox) and the status messages that flow back.

Every function that changes state is transactional and records an audit event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass, field, replace

from cryptography import x509
from django.db import IntegrityError, transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digigov.accounts.models import Role
from digigov.audit.services import event as audit_event
from digigov.audit.services import record, record_many
from digigov.core.errors import DomainError, InvalidInput, InvalidTransition, NotAllowed
from digigov.orgs.codes import ORGAN_CODE_RE
from digigov.orgs.models import Agency
from digigov.signing import pki
from digigov.signing.models import SigningCredential

from . import bridge, conf, edxml, transport, xmlsig
from .models import (
    BUSINESS_LABELS,  # noqa: F401 - part of this module's interface
    Channel,
    InboxMessage,
    InboxState,
    Kind,
    OutboxMessage,
    OutboxState,
    Peer,
    PeerOrgan,
    RejectedPackage,
    StatusRecord,
)
from .writes import Writes

logger = logging.getLogger(__name__)

STATUS_LABELS = {
    "01": gettext_lazy("Đã đến"),
    "02": gettext_lazy("Từ chối tiếp nhận"),
    "03": gettext_lazy("Đã tiếp nhận (vào sổ)"),
    "04": gettext_lazy("Đã phân công"),
    "05": gettext_lazy("Đang xử lý"),
    "06": gettext_lazy("Đã hoàn thành"),
    "13": gettext_lazy("Đề nghị thu hồi"),
    "15": gettext_lazy("Đồng ý thu hồi, cập nhật"),
    "16": gettext_lazy("Từ chối thu hồi, cập nhật"),
}
LOCAL_KEY = "local"


class PackageRefused(DomainError):
    """A received package that is not accepted; nothing of it is stored but a log line."""

    status = 422
    title = gettext_lazy("Gói tin bị từ chối")
    code = "package_refused"


class SignatureInvalid(PackageRefused):
    status = 403
    code = "signature_invalid"


# --- permissions -----------------------------------------------------------------------

def may_manage_peers(user) -> bool:
    if user is None:
        return True  # commands run by the operator
    return bool(user.is_superuser or (user.is_official
                                      and user.role_agency_ids(Role.AGENCY_ADMIN)))


def _check_manage(actor) -> None:
    if not may_manage_peers(actor):
        raise NotAllowed(_("Chỉ quản trị cơ quan mới được quản lý các hệ thống liên thông."))


# --- peers ---------------------------------------------------------------------------

def _load_pem(text: str) -> list[x509.Certificate]:
    try:
        certs = pki.load_pem_chain(text or "")
    except ValueError:
        certs = []
    if not certs:
        raise InvalidInput(_("Chứng thư phải là một hoặc nhiều chứng thư X.509 dạng PEM."),
                           fields={"certificate_pem": [_("Không đọc được chứng thư.")]})
    return certs


def _clean_codes(codes) -> list[str]:
    cleaned = sorted({c.strip().upper() for c in codes if c and c.strip()})
    if not cleaned:
        raise InvalidInput(_("Hãy nhập ít nhất một mã định danh cơ quan."),
                           fields={"organ_codes": [_("Bắt buộc.")]})
    bad = [c for c in cleaned if len(c) > 35 or not ORGAN_CODE_RE.match(c)]
    if bad:
        raise InvalidInput(
            _("Mã định danh không đúng dạng V1V2V3.Z1Z2.Y1Y2.MX1X2: %(codes)s")
            % {"codes": ", ".join(bad)}, fields={"organ_codes": [_("Không hợp lệ.")]})
    return cleaned


@transaction.atomic
def add_peer(*, name: str, endpoint_url: str, certificate_pem: str, organ_codes,
             actor=None) -> Peer:
    """Register another instance: where to send, which organ codes it serves, and the
    certificate (or issuing CA) its packages are signed with."""
    _check_manage(actor)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Hãy nhập tên hệ thống."), fields={"name": [_("Bắt buộc.")]})
    endpoint_url = (endpoint_url or "").strip()
    if not transport.allowed_url(endpoint_url):
        raise InvalidInput(
            _("Địa chỉ nhận phải dùng HTTPS (chỉ máy này mới được dùng http://)."),
            fields={"endpoint_url": [_("Không hợp lệ.")]})
    certs = _load_pem(certificate_pem)
    codes = _clean_codes(organ_codes)
    taken = list(PeerOrgan.objects.filter(code__in=codes).values_list("code", flat=True))
    if taken:
        raise InvalidInput(
            _("Các mã định danh này đã thuộc một hệ thống liên thông khác: %(codes)s")
            % {"codes": ", ".join(taken)}, code="organ_taken",
            fields={"organ_codes": [_("Đã được đăng ký.")]})
    if Peer.objects.filter(name=name, is_active=True).exists():
        raise InvalidInput(_("Đã có hệ thống liên thông tên này."), code="peer_exists",
                           fields={"name": [_("Đã tồn tại.")]})
    peer = Peer.objects.create(name=name[:200], endpoint_url=endpoint_url,
                               certificate_pem=pki.pem_chain(certs),
                               fingerprint=pki.fingerprint(certs[0]))
    PeerOrgan.objects.bulk_create([PeerOrgan(peer=peer, code=c) for c in codes])
    record(actor=actor, action="exchange.peer_added", obj=peer, name=peer.name,
           endpoint=endpoint_url, organ_codes=codes, fingerprint=peer.fingerprint)
    return peer


@transaction.atomic
def remove_peer(peer: Peer, *, actor=None) -> Peer:
    """Stop exchanging with a peer. Refused while packages to it are still waiting."""
    _check_manage(actor)
    peer = Peer.objects.select_for_update().get(pk=peer.pk)
    if not peer.is_active:
        raise InvalidTransition(_("Hệ thống liên thông này đã bị gỡ."))
    waiting = OutboxMessage.objects.filter(channel__peer=peer,
                                           state=OutboxState.PENDING).count()
    if waiting:
        raise InvalidTransition(
            _("Còn %(n)s gói tin chờ gửi tới hệ thống này; hãy đợi gửi xong.") % {"n": waiting},
            code="peer_has_pending")
    codes = peer.organ_codes
    PeerOrgan.objects.filter(peer=peer).delete()
    peer.is_active = False
    peer.save(update_fields=["is_active"])
    record(actor=actor, action="exchange.peer_removed", obj=peer, organ_codes=codes)
    return peer


# --- routing -------------------------------------------------------------------------

def peer_for(code: str) -> Peer | None:
    """The active peer serving this organ code, with its channel (one query)."""
    organ = (PeerOrgan.objects.select_related("peer__channel")
             .filter(code=code, peer__is_active=True).first())
    return organ.peer if organ else None


def local_agency(code: str) -> Agency | None:
    """The agency of this instance with this organ code (not one served by a peer)."""
    served = PeerOrgan.objects.filter(peer__is_active=True).values("code")
    return Agency.objects.active().filter(code=code).exclude(code__in=served).first()


def _channel(peer: Peer | None) -> Channel:
    if peer is not None:
        try:
            return peer.channel  # read with the peer by peer_for
        except Channel.DoesNotExist:
            pass  # the first package to this peer: its channel is made below
    key = f"peer:{peer.uuid}" if peer else LOCAL_KEY
    channel = Channel.objects.filter(key=key).first()
    if channel is None:
        try:
            with transaction.atomic():
                channel = Channel.objects.create(key=key, peer=peer)
        except IntegrityError:
            channel = Channel.objects.get(key=key)
    return channel


def _route(code: str, *, lookups: Lookups | None = None) -> Channel:
    peer = lookups.peer(code) if lookups else peer_for(code)
    if peer is not None:
        return _channel(peer)
    if Agency.objects.active().filter(code=code).exists():
        return _channel(None)
    raise InvalidInput(
        _("Không có đường gửi tới cơ quan %(code)s: mã này không thuộc hệ thống này và chưa "
          "đăng ký với hệ thống liên thông nào.") % {"code": code}, code="no_route")


class Lookups:
    """Routes, peers, local agencies and signing credentials of one pass (a request, a
    batch of packages, a worker's pass over a destination), each looked up once instead
    of once per package. It lives as long as the pass, so no mutable state outlives it."""

    def __init__(self) -> None:
        self._agencies: dict[str, Agency | None] = {}
        self._peers: dict[str, Peer | None] = {}
        self._trusted: dict[tuple[str, bool], tuple[list[x509.Certificate], Peer | None]] = {}
        self._routes: dict[str, Channel] = {}
        self._credentials: dict[int, SigningCredential] = {}
        self._sent: dict[tuple[str, str, str], OutboxMessage | None] = {}

    def local_agency(self, code: str) -> Agency | None:
        if code not in self._agencies:
            self._agencies[code] = local_agency(code)
        return self._agencies[code]

    def peer(self, code: str) -> Peer | None:
        if code not in self._peers:
            self._peers[code] = peer_for(code)
        return self._peers[code]

    def trusted(self, sender_code: str, *, local: bool):
        key = (sender_code, local)
        if key not in self._trusted:
            self._trusted[key] = _trusted_certs(sender_code, local=local, lookups=self)
        return self._trusted[key]

    def route(self, code: str) -> Channel:
        if code not in self._routes:
            self._routes[code] = _route(code, lookups=self)
        return self._routes[code]

    def credential(self, agency: Agency) -> SigningCredential:
        if agency.pk not in self._credentials:
            self._credentials[agency.pk] = _credential(agency)
        return self._credentials[agency.pk]

    def sent_document(self, document_id: str, *, recipient_code: str,
                      sender_code: str) -> OutboxMessage | None:
        """The latest package of that document sent to that recipient (its pk and
        outgoing document only, not the payload): the statuses 01 and 03 of a document
        usually come in the same batch."""
        key = (document_id, recipient_code, sender_code)
        if key not in self._sent:
            self._sent[key] = (
                OutboxMessage.objects.filter(kind=Kind.DOCUMENT, document_id=document_id,
                                             recipient_code=recipient_code,
                                             sender_code=sender_code)
                .only("pk", "outgoing_document_id").order_by("-seq").first())
        return self._sent[key]


# --- sending -------------------------------------------------------------------------

def _organ(agency: Agency) -> edxml.Organ:
    return edxml.Organ(code=agency.code, name=agency.name, address=agency.address,
                       email=agency.email, phone=agency.phone)


def _credential(agency: Agency) -> SigningCredential:
    from digigov.signing.services import active_credential

    return active_credential(agency=agency)


def _sign(root, credential) -> bytes:
    try:
        signed = xmlsig.sign(root, credential)
    except xmlsig.KeyUnavailable as exc:
        raise InvalidInput(_("Không dùng được khóa ký của cơ quan: %(reason)s")
                           % {"reason": exc}, code="key_unavailable") from exc
    edxml.validate(signed)  # a package this instance cannot read back is a bug: fail loud
    return edxml.serialize(signed)


def _add(writes: Writes, channel: Channel, *, kind: str, payload: bytes, package_id: str,
         document_id: str, sender_code: str, recipient_code: str, subject: str = "",
         business_type: int | None = None, status_code: str = "",
         outgoing_document_id: int | None = None) -> OutboxMessage:
    """Queue a signed package; it is numbered and stored with the other writes of the
    pass (``Writes.flush``)."""
    return writes.queue(OutboxMessage(
        uuid=uuid.UUID(package_id), channel=channel, kind=kind,
        document_id=document_id, business_type=business_type, status_code=status_code,
        sender_code=sender_code, recipient_code=recipient_code, subject=subject[:500],
        payload=payload, size=len(payload), outgoing_document_id=outgoing_document_id))


@transaction.atomic
def send_package(package: edxml.DocumentPackage, *, actor=None,
                 outgoing_document_id: int | None = None) -> list[OutboxMessage]:
    """Sign the document package once per recipient (one package per destination) with
    the sending agency's key and queue it. The sender must be an agency of this instance."""
    sender = local_agency(package.sender.code)
    if sender is None:
        raise InvalidInput(_("Cơ quan gửi %(code)s không thuộc hệ thống này.")
                           % {"code": package.sender.code}, code="sender_not_local")
    if package.business_type not in edxml.BUSINESS_TYPES:
        raise InvalidInput(_("Loại nghiệp vụ phải là 0, 1, 2 hoặc 3."),
                           fields={"business_type": [_("Không hợp lệ.")]})
    if not 0 <= package.priority <= 4:
        raise InvalidInput(_("Độ khẩn (Priority) phải từ 0 đến 4."),
                           fields={"priority": [_("Không hợp lệ.")]})
    if not edxml.DOCUMENT_ID_RE.match(package.document_id):
        raise InvalidInput(_("DocumentId không đúng dạng <mã cơ quan>,<yyyy/MM/dd>,<số/ký hiệu>."),
                           fields={"document_id": [_("Không hợp lệ.")]})
    recipients = list({r.code: r for r in package.recipients}.values())
    if not recipients:
        raise InvalidInput(_("Văn bản chưa có nơi nhận."), fields={"recipients": [_("Bắt buộc.")]})
    if any(r.code == sender.code for r in recipients):
        raise InvalidInput(_("Cơ quan không gửi văn bản cho chính mình."), code="self_recipient")
    routes = [(r, _route(r.code)) for r in recipients]  # every route known, or nothing queued
    credential = _credential(sender)
    now = timezone.now()
    to_places = package.to_places or [r.name for r in recipients]
    writes = Writes()
    messages = []
    for recipient, channel in routes:
        one = replace(package, package_id=str(uuid.uuid4()), sender=_organ(sender),
                      recipients=[recipient], to_places=to_places,
                      traces=[*package.traces, (sender.code, now)])
        try:
            payload = _sign(edxml.build_document(one), credential)
        except edxml.PackageError as exc:
            raise InvalidInput(_("Không lập được gói tin edXML: %(reason)s") % {"reason": exc},
                               code="invalid_package") from exc
        messages.append(_add(writes, channel, kind=Kind.DOCUMENT, payload=payload,
                             package_id=one.package_id, document_id=one.document_id,
                             sender_code=sender.code, recipient_code=recipient.code,
                             subject=one.subject, business_type=one.business_type,
                             outgoing_document_id=outgoing_document_id))
    writes.flush()
    record_many([audit_event(actor=actor, action="exchange.package_queued", obj=m,
                             document_id=m.document_id, recipient=m.recipient_code,
                             business_type=m.business_type, seq=m.seq) for m in messages])
    _deliver_local_after_commit(messages)
    return messages


def enqueue_outgoing(document, *, actor=None) -> list[OutboxMessage]:
    """Queue an issued outgoing document (digigov.documents) for its recipients with organ
    codes; called by the documents app's issue-and-send step."""
    data = bridge.outgoing_for_exchange(document)
    return send_package(package_from_outgoing(data), actor=actor,
                        outgoing_document_id=document.pk)


def _organ_from(item) -> edxml.Organ:
    if isinstance(item, str):
        agency = Agency.objects.filter(code=item).first()
        return edxml.Organ(code=item, name=agency.name if agency else item)
    return edxml.Organ(code=item.get("code") or item.get("organ_code"),
                       name=item.get("name") or item.get("code") or item.get("organ_code"),
                       email=item.get("email", ""), phone=item.get("phone", ""),
                       address=item.get("address", ""))


def package_from_outgoing(data: dict) -> edxml.DocumentPackage:
    """A document package from the fields ``documents.services.outgoing_for_exchange``
    gives (the names of ``register_incoming_electronic``)."""
    sender = Agency.objects.filter(code=data["sender_code"]).first()
    attachments = [edxml.Attachment(name=name, media_type=media_type, data=bytes(content))
                   for name, media_type, content in data.get("attachments", [])]
    recipients = [_organ_from(r) for r in data.get("recipients") or data.get("recipient_codes")
                  or []]
    return edxml.DocumentPackage(
        package_id=str(uuid.uuid4()),
        sender=_organ(sender) if sender else edxml.Organ(code=data["sender_code"],
                                                         name=data.get("sender_name", "")),
        recipients=recipients, number=str(data["number"]), notation=data.get("notation", ""),
        place=data.get("place", ""), issued_on=data["issued_on"],
        type_code=data.get("type_code", ""), type_name=data.get("type_name", ""),
        subject=data["subject"], content=data.get("body", ""),
        signer_competence=data.get("signer_authority", ""),
        signer_position=data.get("signer_position", ""), signer_name=data["signer_name"],
        document_id=data.get("document_id", ""), due_on=data.get("due_on"),
        to_places=list(data.get("to_places", [])), priority=int(data.get("priority", 0)),
        page_amount=int(data.get("page_amount", 1) or 1),
        promulgation_amount=int(data.get("promulgation_amount") or data.get("copies") or 1),
        appendixes=list(data.get("appendixes", [])),
        business_type=int(data.get("business_type", 0)),
        business_reason=data.get("business_reason", ""),
        attachments=attachments)


def _send_status(writes: Writes, *, reporter: Agency, to: edxml.Organ, document_id: str,
                 code: str, description: str = "", staff: str = "",
                 lookups: Lookups | None = None) -> OutboxMessage | None:
    """Queue a signed status package for the sender of a document (with the caller's
    writes). Without a certificate the reporter cannot sign: logged, not raised."""
    lookups = lookups or Lookups()
    try:
        channel = lookups.route(to.code)
        credential = lookups.credential(reporter)
    except InvalidInput as exc:
        logger.warning("exchange: status %s for %s not sent: %s", code, document_id,
                       exc.message)
        return None
    now = timezone.now()
    package = edxml.StatusPackage(
        package_id=str(uuid.uuid4()), sender=_organ(reporter), recipient=to,
        document_id=document_id, status_code=code, timestamp=now,
        description=description[:2000], department=reporter.name, staff=staff,
        traces=[(reporter.code, now)])
    payload = _sign(edxml.build_status(package), credential)
    return _add(writes, channel, kind=Kind.STATUS, payload=payload, package_id=package.package_id,
                document_id=document_id, sender_code=reporter.code, recipient_code=to.code,
                status_code=code, subject=str(STATUS_LABELS.get(code, code)))


@transaction.atomic
def send_status(inbox: InboxMessage, code: str, *, description: str = "",
                actor=None) -> OutboxMessage | None:
    """A later status (04 assigned, 05 processing, 06 completed, ...) for a received
    document, reported to its sender."""
    if code not in edxml.STATUS_CODES:
        raise InvalidInput(_("Mã trạng thái phải từ 01 đến 16."))
    if inbox.kind != Kind.DOCUMENT:
        raise InvalidInput(_("Chỉ báo trạng thái cho văn bản nhận được."))
    reporter = local_agency(inbox.recipient_code)
    if reporter is None:
        raise InvalidInput(_("Cơ quan nhận không còn thuộc hệ thống này."))
    writes = Writes()
    message = _send_status(writes, reporter=reporter,
                           to=edxml.Organ(inbox.sender_code,
                                          inbox.sender_name or inbox.sender_code),
                           document_id=inbox.document_id, code=code, description=description,
                           staff=getattr(actor, "full_name", "") if actor else "")
    if message is not None:
        writes.audit(message, "exchange.status_queued", actor=actor, status=code,
                     document_id=inbox.document_id)
    writes.flush()
    if message is not None:
        _deliver_local_after_commit([message])
    return message


# --- delivery ------------------------------------------------------------------------

def backoff(attempts: int) -> float:
    """Seconds to wait after the n-th failed attempt: base, 2 base, 4 base, ... capped."""
    return min(conf.retry_max(), conf.retry_base() * 2 ** max(0, attempts - 1))


@dataclass
class PassResult:
    delivered: int = 0
    refused: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: PassResult) -> None:
        self.delivered += other.delivered
        self.refused += other.refused
        self.failed += other.failed
        self.errors.extend(other.errors)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"[:80]


def _claim(channel_id: int, owner: str, now: dt.datetime) -> bool:
    until = now + dt.timedelta(seconds=conf.lease_seconds())
    return bool(Channel.objects.filter(pk=channel_id).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_owner=owner))
        .update(lease_owner=owner, lease_until=until))


def _release(channel_id: int, owner: str) -> None:
    Channel.objects.filter(pk=channel_id, lease_owner=owner).update(lease_owner="",
                                                                    lease_until=None)


def _waiting(channel: Channel, moment: dt.datetime, room: int) -> list[OutboxMessage]:
    """The next packages of the channel, in order, due now, within one request's limits."""
    batch, size = [], 0
    for message in (OutboxMessage.objects.filter(channel=channel, state=OutboxState.PENDING)
                    .order_by("seq")[:min(room, conf.request_packages())]):
        if message.next_attempt_at > moment:
            break
        if batch and size + message.size > conf.request_bytes():
            break
        batch.append(message)
        size += message.size
    return batch


def _deliver_local(messages: list[OutboxMessage]) -> list[transport.Outcome]:
    try:
        items = receive_batch([bytes(m.payload) for m in messages], local=True)
    except Exception as exc:  # a local failure (database busy, ...): try again later
        logger.exception("exchange: local delivery of %s failed", messages[0].uuid)
        return [transport.Outcome(False, False, f"{type(exc).__name__}: {exc}"[:1000])]
    outcomes = []
    for item in items:
        if item.received is not None:
            outcomes.append(transport.Outcome(True))
        elif item.refused is not None:
            outcomes.append(transport.Outcome(False, True, str(item.refused.message)))
        else:
            outcomes.append(transport.Outcome(False, False, item.retry))
            break
    return outcomes


def _deliver(channel: Channel, messages: list[OutboxMessage]) -> list[transport.Outcome]:
    """Send packages in order: one outcome each, up to the first that must wait."""
    if channel.peer_id is None:
        return _deliver_local(messages)
    peer = channel.peer
    if not peer.is_active:
        return [transport.Outcome(False, False, "the peer has been removed")]
    if len(messages) > 1:
        outcomes = transport.post_batch(transport.batch_url(peer.endpoint_url),
                                        [bytes(m.payload) for m in messages],
                                        package_ids=[str(m.uuid) for m in messages])
        if outcomes is not None:
            return outcomes
    outcomes = []  # one request per package (a peer without the batch endpoint)
    for message in messages:
        outcome = transport.post_package(peer.endpoint_url, bytes(message.payload),
                                         package_id=str(message.uuid))
        outcomes.append(outcome)
        if not outcome.ok and not outcome.permanent:
            break
    return outcomes


def deliver_channel(channel: Channel, *, owner: str | None = None,
                    now: dt.datetime | None = None, limit: int | None = None) -> PassResult:
    """Send the channel's waiting packages in sequence order, several per request. Stops
    at the first one that fails (it waits for its retry time, and so do all after it); a
    refused package is set aside and the next one goes."""
    owner = owner or worker_id()
    result = PassResult()
    if not _claim(channel.pk, owner, now or timezone.now()):
        return result
    try:
        limit = limit or conf.batch()
        while result.delivered + result.refused < limit:
            messages = _waiting(channel, now or timezone.now(),
                                limit - result.delivered - result.refused)
            if not messages:
                break
            outcomes = _deliver(channel, messages)
            _after_attempts(messages[:len(outcomes)], outcomes, timezone.now())
            for outcome in outcomes:
                if outcome.ok:
                    result.delivered += 1
                elif outcome.permanent:
                    result.refused += 1
                    result.errors.append(outcome.detail)
                else:
                    result.failed += 1
                    result.errors.append(outcome.detail)
            if result.failed:
                break
            _claim(channel.pk, owner, timezone.now())  # renew the lease
    finally:
        _release(channel.pk, owner)
    return result


@transaction.atomic
def _after_attempts(messages: list[OutboxMessage], outcomes: list[transport.Outcome],
                    now: dt.datetime) -> None:
    """Record what became of each package tried: the delivered ones in one UPDATE and one
    INSERT of their audit events."""
    delivered = [m for m, o in zip(messages, outcomes, strict=True) if o.ok]
    if delivered:
        OutboxMessage.objects.filter(pk__in=[m.pk for m in delivered]).update(
            state=OutboxState.DELIVERED, delivered_at=now, last_error="",
            attempts=F("attempts") + 1, last_attempt_at=now)
        record_many([audit_event(
            actor=None, action="exchange.package_delivered", obj=m,
            from_state=OutboxState.PENDING, to_state=OutboxState.DELIVERED,
            document_id=m.document_id, recipient=m.recipient_code, attempts=m.attempts + 1)
            for m in delivered])
    for message, outcome in zip(messages, outcomes, strict=True):
        if not outcome.ok:
            _after_failure(message, outcome, now)


def _after_failure(message: OutboxMessage, outcome: transport.Outcome,
                   now: dt.datetime) -> None:
    attempts = message.attempts + 1
    common = {"attempts": attempts, "last_attempt_at": now}
    if outcome.permanent:
        OutboxMessage.objects.filter(pk=message.pk).update(
            state=OutboxState.REFUSED, last_error=outcome.detail, **common)
        record(actor=None, action="exchange.package_refused", obj=message,
               from_state=OutboxState.PENDING, to_state=OutboxState.REFUSED,
               reason=outcome.detail[:500])
        if message.kind == Kind.DOCUMENT and message.outgoing_document_id:
            bridge.record_status(message.outgoing_document_id,
                                 recipient_code=message.recipient_code, status="02", at=now,
                                 note=outcome.detail)
    else:
        OutboxMessage.objects.filter(pk=message.pk).update(
            last_error=outcome.detail,
            next_attempt_at=now + dt.timedelta(seconds=backoff(attempts)), **common)


def run_once(*, owner: str | None = None, now: dt.datetime | None = None,
             local_only: bool = False) -> PassResult:
    """One pass over every destination with a package due."""
    owner = owner or worker_id()
    moment = now or timezone.now()
    if not local_only:
        send_pending_notices()
    heads = (OutboxMessage.objects.filter(state=OutboxState.PENDING)
             .values("channel").annotate(first=Min("seq")))
    result = PassResult()
    for head in heads:
        channel = Channel.objects.select_related("peer").get(pk=head["channel"])
        if local_only and channel.peer_id is not None:
            continue
        first = OutboxMessage.objects.only("next_attempt_at").get(channel=channel,
                                                                  seq=head["first"])
        if first.next_attempt_at > moment:
            continue
        result.add(deliver_channel(channel, owner=owner, now=now))
    return result


def next_due() -> dt.datetime | None:
    """When the earliest waiting package may be tried again."""
    heads = (OutboxMessage.objects.filter(state=OutboxState.PENDING)
             .values("channel").annotate(first=Min("seq")))
    times = [OutboxMessage.objects.only("next_attempt_at")
             .get(channel_id=h["channel"], seq=h["first"]).next_attempt_at
             for h in heads]
    return min(times) if times else None


def drain(*, timeout: float = 60.0, owner: str | None = None) -> PassResult:
    """Deliver until nothing is waiting (or ``timeout`` seconds have passed)."""
    owner = owner or worker_id()
    deadline = time.monotonic() + timeout
    total = PassResult()
    while time.monotonic() < deadline:
        total.add(run_once(owner=owner))
        due = next_due()
        if due is None:
            break
        wait = (due - timezone.now()).total_seconds()
        time.sleep(min(max(wait, 0.05), max(0.0, deadline - time.monotonic()), 1.0))
    return total


@transaction.atomic
def retry_now(message: OutboxMessage, *, actor=None) -> OutboxMessage:
    """Send a waiting package at once, or a refused one again (after fixing the cause)."""
    _check_manage(actor)
    message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if message.state == OutboxState.DELIVERED:
        raise InvalidTransition(_("Gói tin này đã được gửi."))
    before = message.state
    OutboxMessage.objects.filter(pk=message.pk).update(state=OutboxState.PENDING,
                                                       next_attempt_at=timezone.now())
    record(actor=actor, action="exchange.package_retry", obj=message, from_state=before,
           to_state=OutboxState.PENDING)
    message.refresh_from_db()
    return message


def _deliver_local_after_commit(messages: list[OutboxMessage]) -> None:
    if conf.delivery() != "immediate":
        return
    if not any(m.channel.peer_id is None for m in messages):
        return

    def deliver():
        try:
            deliver_channel(_channel(None))
        except Exception:  # the worker will deliver it later
            logger.exception("exchange: immediate local delivery failed")

    transaction.on_commit(deliver)


# --- receiving -----------------------------------------------------------------------

@dataclass
class Received:
    outcome: str  # "accepted" or "duplicate"
    kind: str
    package_id: str
    document_id: str
    states: list[str] = field(default_factory=list)


@dataclass
class BatchItem:
    """What became of one package of a batch: received, refused, or not processed now
    (``retry``: a failure on this side; it and every package after it are to be sent
    again, in order)."""

    received: Received | None = None
    refused: PackageRefused | None = None
    retry: str = ""


MAX_BATCH_PACKAGES = 200


def _reject(data: bytes, reason: str, *, remote_addr: str = "", sender: str = "",
            document_id: str = "", package_id: str = "", error=PackageRefused,
            code: str | None = None):
    """The refusal to raise, carrying the line for the refusals log (written by
    ``_log_refusal`` outside the transaction the package was tried in)."""
    refusal = error(_("Gói tin bị từ chối: %(reason)s") % {"reason": reason}, code=code)
    refusal.log_entry = RejectedPackage(
        reason=reason[:4000], claimed_sender=sender[:100], claimed_document_id=document_id[:200],
        package_id=package_id[:60], sha256=hashlib.sha256(data).hexdigest(), size=len(data),
        remote_addr=remote_addr[:60])
    return refusal


def _log_refusal(refusal: PackageRefused) -> None:
    entry = getattr(refusal, "log_entry", None)
    if entry is not None and entry.pk is None:
        entry.save()
        logger.warning("exchange: package refused (%s): %s", entry.claimed_sender or "?",
                       entry.reason)


@dataclass(frozen=True)
class Pruned:
    deleted: int
    keep_days: int
    before: dt.datetime | None  # None: the log keeps everything (``keep_days`` 0)


def prune_refusals(*, keep_days: int | None = None, now: dt.datetime | None = None) -> Pruned:
    """Delete the refusals log's lines older than ``EXCHANGE_REFUSALS_KEEP_DAYS`` (or
    ``keep_days``). The log only helps to answer a sender's question about a recent
    refusal; it holds no package, so nothing else depends on its old lines."""
    keep_days = conf.refusals_keep_days() if keep_days is None else keep_days
    if keep_days < 0:
        raise InvalidInput(_("Số ngày lưu phải là số không âm."),
                           fields={"keep_days": [_("Không hợp lệ.")]})
    if keep_days == 0:
        return Pruned(0, 0, None)
    before = (now or timezone.now()) - dt.timedelta(days=keep_days)
    deleted, _by_model = RejectedPackage.objects.filter(received_at__lt=before).delete()
    if deleted:
        logger.info("exchange: %s refused packages older than %s days pruned", deleted,
                    keep_days)
    return Pruned(deleted, keep_days, before)


def _trusted_certs(sender_code: str, *, local: bool,
                   lookups: Lookups) -> tuple[list[x509.Certificate], Peer | None]:
    if local:
        agency = lookups.local_agency(sender_code)
        if agency is None:
            return [], None
        ders = SigningCredential.objects.filter(
            holder=SigningCredential.Holder.AGENCY, agency=agency).values_list("certificate",
                                                                               flat=True)
        return [x509.load_der_x509_certificate(bytes(d)) for d in ders], None
    peer = lookups.peer(sender_code)
    if peer is None:
        return [], None
    return pki.load_pem_chain(peer.certificate_pem), peer


def receive_package(data: bytes, *, local: bool = False, remote_addr: str = "") -> Received:
    """Accept a package from a peer (or, ``local``, from an agency of this instance).

    Checked in this order, each failure refusing the package with nothing stored but a
    line in the refusals log: well-formed XML, the XSD, attachment digests, the sender
    (a peer serving its organ code), the signature against that peer's certificate, the
    recipient (an agency of this instance). An accepted document is answered with status
    01 and registered as an incoming document, and the statuses the documents app then
    owes the sender (03 registered, or 02 if registration refuses it) are queued in the
    same transaction; a status is recorded on the document it answers. The same package,
    or the same DocumentId and business type for the same recipient, is accepted once:
    later copies answer "duplicate" and change nothing.
    """
    writes = Writes()
    try:
        with transaction.atomic():
            received = _receive(bytes(data), Lookups(), writes, local=local,
                                remote_addr=remote_addr)
            writes.flush()
    except PackageRefused as exc:
        _log_refusal(exc)
        raise
    if received.outcome == "accepted":
        _deliver_local_after_commit_now()
    return received


def receive_batch(payloads: list[bytes], *, local: bool = False,
                  remote_addr: str = "") -> list[BatchItem]:
    """Several packages from one sender, in its delivery order, in one transaction with a
    savepoint per package: each is checked and accepted exactly as ``receive_package``
    does, a refused one is answered with its reason and does not hold the others back,
    and a failure on this side while accepting one stops the batch there: the packages
    before it are kept, it and the ones after it are answered ``retry``, so order holds.
    Routes, peers and credentials are looked up once for the whole batch, and the rows
    its receipts add besides the inbox's (statuses queued, status records, audit events)
    are written together at its end (``Writes``)."""
    if len(payloads) > MAX_BATCH_PACKAGES:
        raise InvalidInput(_("Tối đa %(n)s gói tin một lần gửi.") % {"n": MAX_BATCH_PACKAGES},
                           code="batch_too_large")
    lookups = Lookups()
    writes = Writes()
    items: list[BatchItem] = []
    with transaction.atomic():
        for index, data in enumerate(payloads):
            try:
                # A package's writes are in a savepoint of their own (in _receive); its
                # checks before that only read. A database error there aborts the whole
                # batch, which the sender then sends again: duplicates answer as such.
                received = _receive(bytes(data), lookups, writes, local=local,
                                    remote_addr=remote_addr)
            except PackageRefused as exc:
                _log_refusal(exc)
                items.append(BatchItem(refused=exc))
            except Exception as exc:  # noqa: BLE001 - kept for a retry, in order
                logger.exception("exchange: package %s of a batch not processed", index)
                reason = f"{type(exc).__name__}: {exc}"[:500]
                items.extend(BatchItem(retry=reason) for _ in payloads[index:])
                break
            else:
                items.append(BatchItem(received=received))
        writes.flush()
    if any(i.received and i.received.outcome == "accepted" for i in items):
        _deliver_local_after_commit_now()
    return items


def _receive(data: bytes, lookups: Lookups, writes: Writes, *, local: bool,
             remote_addr: str) -> Received:
    now = timezone.now()
    try:
        root = edxml.parse_bytes(data)
        edxml.validate(root)
        package = edxml.read(root)
    except (edxml.PackageError, ValueError) as exc:
        raise _reject(data, str(exc), remote_addr=remote_addr, code="invalid_package") from exc
    claims = {"remote_addr": remote_addr, "sender": package.sender.code,
              "document_id": package.document_id, "package_id": package.package_id}
    trusted, peer = lookups.trusted(package.sender.code, local=local)
    if not trusted:
        raise _reject(data, f"the sending organ {package.sender.code} is not a registered "
                            f"peer of this system", error=SignatureInvalid,
                      code="unknown_sender", **claims)
    try:
        cert = xmlsig.verify(root, organ_code=package.sender.code, trusted=trusted, at=now)
    except xmlsig.SignatureRefused as exc:
        raise _reject(data, str(exc), error=SignatureInvalid, code="signature_invalid",
                      **claims) from exc
    recipients = [package.recipient] if package.kind == "status" else package.recipients
    local_recipients = [(organ, lookups.local_agency(organ.code)) for organ in recipients]
    local_recipients = [(organ, agency) for organ, agency in local_recipients if agency]
    if not local_recipients:
        raise _reject(data, "no recipient of the package is an agency of this system",
                      code="unknown_recipient", **claims)
    # A package seen before is caught by the inbox's unique constraints (a document
    # also by its DocumentId first): no lookup ahead of the common case. The inbox row is
    # written in the package's savepoint; what else it adds goes with ``writes``, undone
    # to this point with the savepoint.
    point = writes.checkpoint()
    try:
        with transaction.atomic():
            if package.kind == "status":
                states = [_accept_status(package, local_recipients[0][1], peer=peer, cert=cert,
                                         data=data, lookups=lookups, writes=writes)]
            else:
                states = [_accept_document(package, organ, agency, peer=peer, cert=cert,
                                           data=data, lookups=lookups, writes=writes)
                          for organ, agency in local_recipients]
    except IntegrityError:
        writes.rollback(point)
        # The same package accepted before, or by a concurrent delivery just now.
        if InboxMessage.objects.filter(package_id=package.package_id).exists():
            return Received("duplicate", package.kind, package.package_id, package.document_id)
        raise
    except _UnknownDocument as exc:
        writes.rollback(point)
        raise _reject(data, str(exc), code="unknown_document", **claims) from exc
    except BaseException:
        writes.rollback(point)
        raise
    if all(s == "duplicate" for s in states):
        return Received("duplicate", package.kind, package.package_id, package.document_id)
    return Received("accepted", package.kind, package.package_id, package.document_id, states)


class _UnknownDocument(Exception):
    pass


def _inbox(package, recipient_code: str, *, peer, cert, data: bytes, state: str,
           **extra) -> InboxMessage:
    return InboxMessage.objects.create(
        package_id=uuid.UUID(package.package_id), kind=package.kind,
        document_id=package.document_id, sender_code=package.sender.code,
        sender_name=package.sender.name[:255], recipient_code=recipient_code, peer=peer,
        signer_subject=pki.subject_text(cert)[:500], signer_fingerprint=pki.fingerprint(cert),
        sha256=hashlib.sha256(data).hexdigest(), size=len(data), state=state, **extra)


def _accept_document(package: edxml.DocumentPackage, organ: edxml.Organ, agency: Agency, *,
                     peer, cert, data: bytes, lookups: Lookups, writes: Writes) -> str:
    if InboxMessage.objects.filter(kind=Kind.DOCUMENT, document_id=package.document_id,
                                   business_type=package.business_type,
                                   recipient_code=organ.code).exists():
        return "duplicate"
    _send_status(writes, reporter=agency, to=package.sender, document_id=package.document_id,
                 code="01", lookups=lookups)
    accepted = {"business_type": package.business_type, "subject": package.subject[:500]}
    try:
        # Like every service, the registration changes nothing when it refuses (it is
        # atomic itself), so it needs no savepoint of its own here. The inbox row comes
        # after it, with the outcome: its unique constraints still undo a concurrent
        # duplicate, registration included, with the rest of the package's savepoint.
        incoming = bridge.register_incoming(
            recipient=agency, sender_code=package.sender.code,
            sender_name=package.sender.name, document_id=package.document_id,
            number=package.number, notation=package.notation,
            issued_on=package.issued_on, place=package.place,
            type_code=package.type_code, subject=package.subject, body=package.content,
            signer_name=package.signer_name, signer_position=package.signer_position,
            signer_authority=package.signer_competence, due_on=package.due_on,
            priority=package.priority, business_type=package.business_type,
            attachments=[(a.name, a.media_type, a.data) for a in package.attachments],
            signatures_valid=True, received_at=timezone.now())
    except DomainError as exc:
        reason = str(exc.message)
        inbox = _inbox(package, organ.code, peer=peer, cert=cert, data=data,
                       state=InboxState.REFUSED, note=reason, **accepted)
        _send_status(writes, reporter=agency, to=package.sender,
                     document_id=package.document_id, code="02", description=reason,
                     lookups=lookups)
        writes.audit(inbox, "exchange.document_refused", document_id=package.document_id,
                     reason=reason[:500])
        return InboxState.REFUSED
    inbox = _inbox(package, organ.code, peer=peer, cert=cert, data=data,
                   state=InboxState.REGISTERED, incoming_document_id=incoming.pk, **accepted)
    writes.audit(inbox, "exchange.document_received", document_id=package.document_id,
                 sender=package.sender.code, business_type=package.business_type,
                 incoming=incoming.pk)
    # The statuses the registration owes the sender (03, or 15 for a recall) are queued
    # here, in the receipt's transaction, so they commit with it; the documents app's own
    # call on commit then finds them sent.
    for notice in bridge.lock_unsent_notices_of(incoming):
        try:
            _notify(notice, lookups, writes)
        except DomainError as exc:  # sent by a later worker pass
            logger.warning("exchange: notice %s not sent: %s", notice.pk, exc.message)
    return InboxState.REGISTERED


def _accept_status(package: edxml.StatusPackage, agency: Agency, *, peer, cert,
                   data: bytes, lookups: Lookups, writes: Writes) -> str:
    sent = lookups.sent_document(package.document_id, recipient_code=package.sender.code,
                                 sender_code=agency.code)
    if sent is None:
        raise _UnknownDocument(f"this system sent no document {package.document_id} to "
                               f"{package.sender.code}")
    inbox = _inbox(package, agency.code, peer=peer, cert=cert, data=data,
                   state=InboxState.RECORDED, status_code=package.status_code,
                   subject=str(STATUS_LABELS.get(package.status_code, package.status_code)))
    # The inbox row above already holds the package id unique, so its status record
    # can wait for the end of the batch.
    writes.add(StatusRecord(
        package_id=uuid.UUID(package.package_id), document_id=package.document_id,
        recipient_code=package.sender.code, status_code=package.status_code,
        description=package.description, at=package.timestamp,
        outgoing_document_id=sent.outgoing_document_id))
    if sent.outgoing_document_id:
        bridge.record_status(sent.outgoing_document_id, recipient_code=package.sender.code,
                             status=package.status_code, at=package.timestamp,
                             note=package.description)
    writes.audit(inbox, "exchange.status_received", document_id=package.document_id,
                 status=package.status_code, recipient=package.sender.code)
    return InboxState.RECORDED


def notify_sender(notice) -> OutboxMessage | None:
    """Send a status the documents app owes the sender of an electronic incoming document
    (a ``SenderNotice``: 03 registered, 04 assigned, 05 processing, 06 completed, ...) and
    stamp it sent. Called on commit by documents, and again by every ``exchange_send``
    pass for notices still unsent, so none is lost; a notice is sent once."""
    if not bridge.notice_unsent(notice.pk):
        return None  # already sent (with the receipt that registered the document)
    with transaction.atomic():
        notice = bridge.lock_unsent_notice(notice.pk)
        writes = Writes()
        message = _notify(notice, Lookups(), writes) if notice is not None else None
        writes.flush()
    if message is not None:
        _deliver_local_after_commit([message])
    return message


def _notify(notice, lookups: Lookups, writes: Writes) -> OutboxMessage | None:
    """Sign and queue the status of a notice locked by the caller, and stamp it sent
    (with the caller's writes)."""
    document = notice.document
    reporter = lookups.local_agency(document.recipient.code)
    if reporter is None or not document.document_id:
        return None
    message = _send_status(writes, reporter=reporter,
                           to=edxml.Organ(notice.sender_code,
                                          document.sender_name or notice.sender_code),
                           document_id=document.document_id, code=notice.status,
                           description=notice.note, lookups=lookups)
    if message is None:
        return None
    writes.notice_sent(notice.pk, timezone.now())
    writes.audit(message, "exchange.status_queued", status=notice.status,
                 document_id=document.document_id)
    return message


def send_pending_notices(limit: int = 500) -> int:
    """Queue the statuses of notices that were not sent when they were made."""
    sent = 0
    for notice in bridge.unsent_notices(limit):
        try:
            if notify_sender(notice) is not None:
                sent += 1
        except DomainError as exc:
            logger.warning("exchange: notice %s not sent: %s", notice.pk, exc.message)
    return sent


def _deliver_local_after_commit_now() -> None:
    """Statuses for agencies of this instance queued by a receipt go out after commit."""
    if conf.delivery() != "immediate":
        return
    channel = Channel.objects.filter(key=LOCAL_KEY).first()
    if channel is None or not OutboxMessage.objects.filter(
            channel=channel, state=OutboxState.PENDING).exists():
        return

    def deliver():
        try:
            deliver_channel(channel)
        except Exception:
            logger.exception("exchange: immediate local delivery failed")

    transaction.on_commit(deliver)
