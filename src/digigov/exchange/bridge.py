"""The official-documents side of the exchange (digigov.documents), imported lazily:
documents calls ``enqueue_outgoing`` of this app, and this app calls back into documents
only through these functions."""

from __future__ import annotations

import datetime as dt
from uuid import UUID


def outgoing_for_exchange(document) -> dict:
    from digigov.documents import services

    return services.outgoing_for_exchange(document)


def register_incoming(**fields):
    from digigov.documents import services

    return services.register_incoming_electronic(**fields)


def record_status(outgoing_document_id: int, *, recipient_code: str, status: str,
                  at: dt.datetime, note: str = "") -> None:
    from digigov.documents import services
    from digigov.documents.models import OutgoingDocument

    document = OutgoingDocument.objects.filter(pk=outgoing_document_id).first()
    if document is not None:
        services.record_exchange_status(document, recipient_code=recipient_code,
                                        status=status, at=at, note=note[:500])


def openable_incoming(user, pks) -> dict[int, UUID]:
    """The uuids of those incoming documents the user may open (documents' own rule:
    clerks and leaders of the recipient, assignees, secrecy clearance), by pk."""
    from digigov.documents.permissions import visible_incoming

    return dict(visible_incoming(user).filter(pk__in=pks).values_list("pk", "uuid"))


def _notices():
    try:
        from digigov.documents.models import IncomingDocument, SenderNotice
    except ImportError:  # pragma: no cover - the documents app is part of digigov
        return None, None
    return SenderNotice, IncomingDocument


def lock_unsent_notice(pk: int):
    SenderNotice, _ = _notices()
    return (SenderNotice.objects.select_for_update().select_related("document__recipient")
            .filter(pk=pk, sent_at__isnull=True).first())


def notice_unsent(pk: int) -> bool:
    SenderNotice, _ = _notices()
    return SenderNotice.objects.filter(pk=pk, sent_at__isnull=True).exists()


def lock_unsent_notices_of(document) -> list:
    """The notices an incoming document (just registered, with its recipient) still owes
    its sender, oldest first, locked; they carry that document instead of reading it and
    its recipient again."""
    SenderNotice, _ = _notices()
    if SenderNotice is None or document.pk is None:
        return []
    notices = list(SenderNotice.objects.select_for_update()
                   .filter(document_id=document.pk, sent_at__isnull=True).order_by("at", "pk"))
    for notice in notices:
        notice.document = document
    return notices


def mark_notices_sent(pks: list[int], at: dt.datetime) -> None:
    SenderNotice, _ = _notices()
    SenderNotice.objects.filter(pk__in=pks).update(sent_at=at)


def unsent_notices(limit: int) -> list:
    SenderNotice, IncomingDocument = _notices()
    if SenderNotice is None:
        return []
    return list(SenderNotice.objects.filter(
        sent_at__isnull=True, document__source=IncomingDocument.Source.ELECTRONIC)
        .exclude(document__document_id="").order_by("at", "pk")[:limit])
