"""Text of attached files, for full-text search: PDF text, or its OCR layer."""

from __future__ import annotations

import logging
from io import BytesIO

logger = logging.getLogger(__name__)
MAX_TEXT = 200_000


def pdf_text(data: bytes, *, ocr: bool = False) -> str:
    """The text of a PDF (pdfminer.six, shipped with OCRmyPDF). A scan without a text
    layer gets one by OCR when ``ocr`` is asked and tesseract is installed."""
    text = _extract(data)
    if not text.strip() and ocr:
        from digigov.dossiers.digitisation import add_text_layer, ocr_available

        if ocr_available():
            try:
                outcome = add_text_layer(data)
                if getattr(outcome, "pdf", None):
                    text = _extract(outcome.pdf)
            except Exception:  # noqa: BLE001 - OCR is best effort; the file is kept as it is
                logger.warning("OCR of an incoming scan failed", exc_info=True)
    return text[:MAX_TEXT]


def _extract(data: bytes) -> str:
    try:
        from pdfminer.high_level import extract_text

        return extract_text(BytesIO(data)) or ""
    except Exception:  # noqa: BLE001 - a damaged or encrypted PDF simply has no text here
        logger.info("no text extracted from a PDF", exc_info=True)
        return ""


def file_text(data: bytes, media_type: str, filename: str = "") -> str:
    if media_type == "application/pdf" or data[:5] == b"%PDF-":
        return pdf_text(data)
    if media_type.startswith("text/") or filename.lower().endswith(".txt"):
        return data.decode("utf-8", errors="replace")[:MAX_TEXT]
    return ""
