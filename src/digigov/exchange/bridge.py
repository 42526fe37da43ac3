"""The official-documents side of the exchange (digigov.documents), imported lazily:
documents calls ``enqueue_outgoing`` of this app, and this app calls back into documents
only through these functions."""

from __future__ import annotations

import datetime as dt


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
