"""Digitisation at the counter (Decree 45/2020; Circular 01/2023/TT-VPCP).

The counter officer scans or uploads a paper component; the system turns it
into a PDF, adds a Vietnamese text layer by OCR when OCRmyPDF and tesseract
with the ``vie`` model are installed, has the officer and the agency sign it,
and files it on the dossier (flagged "digitised") and in the applicant's data
store. Without OCR the copy is still digitised and signed, and the result says
that it has no text layer.
"""

from __future__ import annotations

import functools
import importlib.util
import shutil
import subprocess  # noqa: S404 - OCRmyPDF runs as a child process with fixed arguments
import sys
import tempfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import img2pdf
import pikepdf
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageSequence, UnidentifiedImageError
from pyhanko.pdf_utils.reader import PdfFileReader

from digigov.accounts.models import Role
from digigov.audit.services import record
from digigov.core.errors import InvalidInput, InvalidTransition
from digigov.signing.models import IssuedDocument
from digigov.signing.services import active_credential, issue_document
from digigov.store.models import StoredPaper
from digigov.store.services import component_kind, owner_of, store_digitised

from .models import OPEN_STATUSES, Dossier, DossierFile
from .permissions import require_role
from .uploads import inspect_upload

PDF = "application/pdf"
IMAGE_TYPES = {"image/jpeg", "image/png", "image/tiff"}
OCR_LANGUAGE = "vie"
# Per page, then for the whole run; a page that times out is kept without text.
OCR_PAGE_TIMEOUT = getattr(settings, "OCR_PAGE_TIMEOUT_SECONDS", 120)
OCR_RUN_TIMEOUT = getattr(settings, "OCR_RUN_TIMEOUT_SECONDS", 600)


def ocr_not_installed_message() -> str:
    return _("OCR chưa được cài đặt: bản số hóa không có lớp văn bản")


def ocr_failed_message() -> str:
    return _("Không nhận dạng được chữ (OCR) trên tệp này: bản số hóa không có lớp văn bản")


# -- OCR adapter -----------------------------------------------------------------------------
@functools.cache
def ocr_available() -> bool:
    """OCRmyPDF importable and tesseract installed with the Vietnamese model."""
    if importlib.util.find_spec("ocrmypdf") is None or shutil.which("tesseract") is None:
        return False
    try:
        listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True,  # noqa: S607
                                text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return OCR_LANGUAGE in listed.stdout.split()


@dataclass(frozen=True)
class OcrOutcome:
    pdf: bytes
    text_layer: bool
    warning: str = ""


def add_text_layer(pdf: bytes) -> OcrOutcome:
    """The PDF with an invisible Vietnamese text layer, or unchanged with a warning.

    OCRmyPDF runs in a child process: it uses worker processes and signal
    handlers of its own, which do not belong inside a web server's process.
    Pages that already carry text are kept as they are (``--skip-text``); a PDF
    whose every page does (a born-digital file) needs no OCR run at all.
    """
    if has_text_on_every_page(pdf):
        return OcrOutcome(well_formed(pdf), text_layer=True)
    if not ocr_available():
        return OcrOutcome(well_formed(pdf), text_layer=False, warning=ocr_not_installed_message())
    with tempfile.TemporaryDirectory(prefix="digigov-ocr-") as tmp:
        source, target = Path(tmp) / "in.pdf", Path(tmp) / "out.pdf"
        source.write_bytes(pdf)
        command = [sys.executable, "-m", "ocrmypdf", "--language", OCR_LANGUAGE, "--skip-text",
                   "--output-type", "pdf", "--optimize", "0", "--jobs", "1", "--quiet",
                   "--tesseract-timeout", str(OCR_PAGE_TIMEOUT), str(source), str(target)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=OCR_RUN_TIMEOUT,  # noqa: S603
                                  check=False)
        except (OSError, subprocess.SubprocessError):
            return OcrOutcome(well_formed(pdf), text_layer=False, warning=ocr_failed_message())
        if done.returncode != 0 or not target.is_file():
            return OcrOutcome(well_formed(pdf), text_layer=False, warning=ocr_failed_message())
        return OcrOutcome(target.read_bytes(), text_layer=True)


TEXT_SHOWING_OPERATORS = {"Tj", "TJ", "'", '"'}


def has_text_on_every_page(pdf: bytes) -> bool:
    """Whether every page already draws text (Tj/TJ operators): nothing for OCR to add."""
    try:
        with pikepdf.open(BytesIO(pdf)) as document:
            return bool(document.pages) and all(
                any(str(operator) in TEXT_SHOWING_OPERATORS
                    for _operands, operator in pikepdf.parse_content_stream(page))
                for page in document.pages)
    except (pikepdf.PdfError, ValueError):
        return False


def _strictly_readable(pdf: bytes) -> bool:
    try:
        PdfFileReader(BytesIO(pdf), strict=True)
    except Exception:  # noqa: BLE001 - any strictness failure means the same here
        return False
    return True


def well_formed(pdf: bytes) -> bytes:
    """The PDF as it is when strict readers accept it (a signed PDF stays byte for byte
    the same, so its signatures survive), else saved anew with a clean cross-reference
    table, as OCRmyPDF's output would be: some scanners and image libraries write tables
    that strict readers, and so the signatures added to the file, would not accept."""
    if _strictly_readable(pdf):
        return pdf
    try:
        with pikepdf.open(BytesIO(pdf)) as document:
            clean = BytesIO()
            document.save(clean)
            return clean.getvalue()
    except (pikepdf.PdfError, ValueError):
        return pdf


# -- conversion ------------------------------------------------------------------------------
IMAGE_ERRORS = (img2pdf.ImageOpenError, img2pdf.PdfTooLargeError, img2pdf.NegativeDimensionError,
                img2pdf.UnsupportedColorspaceError, img2pdf.JpegColorspaceError,
                img2pdf.ExifOrientationError, Image.DecompressionBombError, ValueError, OSError)


def image_to_pdf(data: bytes) -> bytes:
    """A scan as a PDF, one page per frame; JPEG is embedded without re-encoding."""
    try:
        return img2pdf.convert(data, rotation=img2pdf.Rotation.ifvalid)
    except img2pdf.AlphaChannelError:
        pass  # PDF images carry no alpha channel: flatten on white below
    except IMAGE_ERRORS as exc:
        raise _unreadable_image(exc) from exc
    try:
        pages = []
        with Image.open(BytesIO(data)) as image:
            for frame in ImageSequence.Iterator(image):  # every page of a multi-page TIFF
                rgba = frame.convert("RGBA")
                flat = Image.new("RGB", rgba.size, "white")
                flat.paste(rgba, mask=rgba.getchannel("A"))
                out = BytesIO()
                flat.save(out, format="PNG", dpi=frame.info.get("dpi", (96, 96)))
                pages.append(out.getvalue())
        return img2pdf.convert(pages)
    except (UnidentifiedImageError, *IMAGE_ERRORS) as exc:
        raise _unreadable_image(exc) from exc


def _unreadable_image(exc: Exception) -> InvalidInput:
    message = _("Không đọc được ảnh quét: %(reason)s") % {"reason": exc}
    return InvalidInput(message, fields={"file": [message]}, code="invalid_image")


def check_pdf(data: bytes) -> None:
    """Refuse a PDF that cannot be signed: unreadable, encrypted or without pages."""
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        encrypted = reader.encrypted
        pages = int(reader.root["/Pages"]["/Count"]) if not encrypted else 0
    except Exception as exc:  # noqa: BLE001 - any parser error means the same to the officer
        message = _("Tệp không phải là PDF đọc được.")
        raise InvalidInput(message, fields={"file": [message]}, code="invalid_pdf") from exc
    if encrypted:
        message = _("Tệp PDF được đặt mật khẩu: hãy gỡ mật khẩu hoặc quét lại bản giấy.")
        raise InvalidInput(message, fields={"file": [message]}, code="encrypted_pdf")
    if pages < 1:
        message = _("Tệp PDF không có trang nào.")
        raise InvalidInput(message, fields={"file": [message]}, code="empty_pdf")


# -- the use case ----------------------------------------------------------------------------
@dataclass
class Digitisation:
    """What digitising one component produced, beside the dossier file itself."""

    document: IssuedDocument
    stored: StoredPaper | None
    text_layer: bool
    warnings: list[str] = field(default_factory=list)


def _component(dossier: Dossier, component_id):
    try:
        pk = int(component_id)
    except (TypeError, ValueError):
        pk = None
    component = (dossier.procedure_version.components.filter(pk=pk).first()
                 if pk is not None else None)
    if component is None:
        message = _("Thành phần này không thuộc thủ tục của hồ sơ.")
        raise InvalidInput(message, fields={"component": [message]}, code="unknown_component")
    return component


def _signable_pdf(upload) -> tuple[bytes, str]:
    if upload is None:
        message = _("Hãy chọn tệp quét hoặc tệp PDF của giấy tờ.")
        raise InvalidInput(message, fields={"file": [_("Bắt buộc.")]})
    info = inspect_upload(upload, field="file")
    mime = info["content_type"]
    if mime != PDF and mime not in IMAGE_TYPES:
        message = _("Chỉ số hóa bản quét (PDF hoặc ảnh JPEG, PNG, TIFF); tệp “%(name)s” là văn "
                    "bản văn phòng: hãy in ra và quét, hoặc chuyển sang PDF.") % {
                        "name": upload.name}
        raise InvalidInput(message, fields={"file": [message]}, code="not_a_scan")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    pdf = data if mime == PDF else image_to_pdf(data)
    check_pdf(pdf)
    return pdf, mime


def _pdf_name(original: str) -> str:
    stem = Path(original or "").stem.strip() or "giay-to"
    return f"{stem[:200]}-so-hoa.pdf"


def _check_may_digitise(officer, dossier: Dossier, component_id):
    require_role(officer, dossier.agency_id, Role.COUNTER_OFFICER)
    if dossier.status not in OPEN_STATUSES:
        raise InvalidTransition(
            _("Chỉ số hóa thành phần của hồ sơ đang giải quyết (hồ sơ %(code)s đang ở trạng "
              "thái “%(status)s”).") % {"code": dossier.code,
                                         "status": dossier.get_status_display()})
    return _component(dossier, component_id)


@transaction.atomic
def digitise_component(*, officer, dossier: Dossier, component_id, upload,
                       kind=None) -> DossierFile:
    """Digitise one paper component of an open dossier at the counter.

    Returns the new dossier file with ``.digitisation`` (the signed document,
    the stored paper if any, whether it has a text layer, and warnings). Any
    refusal changes nothing: every check runs before a file is written, and
    files written before a later failure are removed.
    """
    # Conversion and OCR can take a while: do them before locking the dossier,
    # then check again under the lock.
    unlocked = Dossier.objects.select_related("agency").get(pk=dossier.pk)
    _check_may_digitise(officer, unlocked, component_id)
    pdf, source_type = _signable_pdf(upload)
    # Refuse for a missing or expired certificate before the slow part.
    active_credential(officer=officer)
    active_credential(agency=unlocked.agency)
    ocr = add_text_layer(pdf)
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    component = _check_may_digitise(officer, dossier, component_id)
    owner = owner_of(dossier)
    kind = kind or component_kind(component)
    warnings = []
    if owner is not None and kind is None:
        warnings.append(_("Thành phần này chưa khai báo loại giấy tờ nên bản số hóa chỉ lưu trong "
                          "hồ sơ, chưa đưa vào kho dữ liệu của người nộp."))
    if ocr.warning:
        warnings.insert(0, ocr.warning)

    written = []  # (storage, name) of files saved so far
    try:
        document = issue_document(
            ocr.pdf, kind=IssuedDocument.Kind.DIGITISED,
            title=_("Bản số hóa: %(component)s") % {"component": component.name},
            issued_by=officer, officer=officer, agency=dossier.agency, number=dossier.code,
            dossier=dossier)
        written.append((document.file.storage, document.file.name))
        document.file.open("rb")
        try:
            signed = document.file.read()
        finally:
            document.file.close()
        dossier_file = DossierFile(
            dossier=dossier, component=component, original_name=_pdf_name(upload.name),
            content_type=PDF, size=len(signed), sha256=document.sha256, is_digitised=True,
            uploaded_by=officer)
        dossier_file.file.save(dossier_file.original_name, ContentFile(signed), save=False)
        written.append((dossier_file.file.storage, dossier_file.file.name))
        dossier_file.save()
        stored = None
        if owner is not None and kind is not None:
            stored = store_digitised(dossier_file, kind=kind, title=component.name,
                                     number=dossier.code, actor=officer)
        record(actor=officer, action="digitise", obj=dossier, component=component.name,
               file=str(dossier_file.uuid), document=str(document.uuid),
               stored=str(stored.uuid) if stored else "", source_type=source_type,
               text_layer=ocr.text_layer)
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
    dossier_file.digitisation = Digitisation(document=document, stored=stored,
                                             text_layer=ocr.text_layer, warnings=warnings)
    return dossier_file
