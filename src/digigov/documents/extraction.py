"""Text of incoming electronic attachments for search, extracted after the receipt.

Reading a PDF's text (pdfminer) costs longer than the rest of an exchange receipt, so an
electronic document is registered with its PDF attachments marked ``text_pending``, and
their text is read afterwards: right after the registering transaction commits, in the
same process (``DOCUMENTS_TEXT_EXTRACTION=immediate``, the default), or only by the
``digigov documents_extract_text --loop`` worker (``queue``), which also picks up any
attachment left pending by a process that stopped. Search finds the text once it has been
read; the document's own fields (number, subject, sender, ...) are searchable at once.
"""

from __future__ import annotations

import logging
import os

from django.conf import settings
from django.db import transaction

from . import text as file_text
from .models import IncomingAttachment, IncomingDocument

logger = logging.getLogger(__name__)


def mode() -> str:
    value = getattr(settings, "DOCUMENTS_TEXT_EXTRACTION", None) or os.environ.get(
        "DOCUMENTS_TEXT_EXTRACTION", "immediate")
    return "queue" if str(value).strip() == "queue" else "immediate"


def after_commit(attachment_ids: list[int]) -> None:
    """Read the text of these pending attachments once the caller's transaction commits
    (``immediate``); with ``queue`` the worker does it."""
    if attachment_ids and mode() == "immediate":
        transaction.on_commit(lambda: extract(attachment_ids))


def extract(attachment_ids: list[int]) -> int:
    """Read the text of the given attachments still pending; the number read."""
    done = 0
    for attachment in IncomingAttachment.objects.filter(pk__in=attachment_ids,
                                                        text_pending=True).order_by("pk"):
        done += _extract_one(attachment)
    return done


def extract_pending(limit: int = 50) -> int:
    """One pass of the worker: the oldest pending attachments, up to ``limit``."""
    ids = list(IncomingAttachment.objects.filter(text_pending=True).order_by("pk")
               .values_list("pk", flat=True)[:limit])
    return extract(ids)


def _extract_one(attachment: IncomingAttachment) -> int:
    try:
        with attachment.file.open("rb") as handle:
            content = handle.read()
    except OSError:
        logger.warning("attachment %s: file not readable; its text is left pending",
                       attachment.pk, exc_info=True)
        return 0
    # Read outside any transaction (it is slow); written only if still pending, so two
    # workers reading the same attachment write it once.
    text = file_text.file_text(content, attachment.media_type, attachment.filename)
    with transaction.atomic():
        written = IncomingAttachment.objects.filter(pk=attachment.pk, text_pending=True).update(
            text=text, text_pending=False)
        if written:
            document = IncomingDocument.objects.select_for_update().get(
                pk=attachment.document_id)
            from .services import refresh_incoming_search  # services imports this module

            refresh_incoming_search(document)
    return written
