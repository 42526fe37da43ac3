"""Read queries for the exchange pages and API."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from digigov.orgs.models import Agency

from . import bridge
from .models import (
    InboxMessage,
    OutboxMessage,
    OutboxState,
    Peer,
    RejectedPackage,
    StatusRecord,
)


def _codes(user) -> set[str] | None:
    """The organ codes whose packages the user may see; None: all (superuser)."""
    if user.is_superuser:
        return None
    if not user.is_official:
        return set()
    ids = user.role_agency_ids()
    return set(Agency.objects.filter(pk__in=ids).values_list("code", flat=True))


def visible_outbox(user, *, state: str = "", kind: str = "") -> QuerySet[OutboxMessage]:
    qs = OutboxMessage.objects.select_related("channel__peer").defer("payload")
    codes = _codes(user)
    if codes is not None:
        qs = qs.filter(sender_code__in=codes)
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-seq")


def visible_inbox(user, *, kind: str = "") -> QuerySet[InboxMessage]:
    qs = InboxMessage.objects.select_related("peer")
    codes = _codes(user)
    if codes is not None:
        qs = qs.filter(recipient_code__in=codes)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-received_at", "-pk")


def with_document_links(user, messages) -> list[InboxMessage]:
    """The inbox rows, each with ``incoming_uuid``: the uuid of the incoming document its
    package acted on when the user may open that document, else None."""
    messages = list(messages)
    pks = {m.incoming_document_id for m in messages if m.incoming_document_id}
    uuids = bridge.openable_incoming(user, pks) if pks else {}
    for message in messages:
        message.incoming_uuid = uuids.get(message.incoming_document_id)
    return messages


def rejected(user) -> QuerySet[RejectedPackage]:
    if not (user.is_superuser or _codes(user)):
        return RejectedPackage.objects.none()
    return RejectedPackage.objects.order_by("-received_at", "-pk")


def outbox_counts(user) -> dict[str, int]:
    rows = visible_outbox(user).order_by().values("state").annotate(n=Count("pk"))
    return {row["state"]: row["n"] for row in rows}


def peers(*, active_only: bool = True) -> QuerySet[Peer]:
    qs = Peer.objects.prefetch_related("organs")
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.annotate(waiting=Count("channel__messages",
                                     filter=Q(channel__messages__state=OutboxState.PENDING)))


def statuses_of(document_id: str) -> QuerySet[StatusRecord]:
    return StatusRecord.objects.filter(document_id=document_id).order_by("recipient_code", "at")
