"""Checks on uploaded component files: type by content, never by name."""

import hashlib

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from digigov.core.errors import InvalidInput

ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/tiff": "TIFF",
    "application/msword": "DOC",
    "application/vnd.ms-excel": "XLS",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
}


def inspect_upload(upload, *, field: str = "file") -> dict:
    """Validate one upload; return its detected content type, size and SHA-256."""
    size = upload.size or 0
    if size == 0:
        raise InvalidInput(_("Tệp “%(name)s” rỗng.") % {"name": upload.name},
                           fields={field: [_("Tệp rỗng.")]})
    if size > settings.UPLOAD_MAX_BYTES:
        message = _("Tệp “%(name)s” vượt quá dung lượng cho phép (%(limit)s).") % {
            "name": upload.name, "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}
        raise InvalidInput(message, fields={field: [message]})
    upload.seek(0)
    head = upload.read(8192)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime not in ALLOWED_TYPES:
        message = _(
            "Tệp “%(name)s” không phải PDF, ảnh hoặc văn bản văn phòng "
            "(định dạng nhận được: %(mime)s)."
        ) % {"name": upload.name, "mime": mime or _("không xác định")}
        raise InvalidInput(message, fields={field: [message]})
    digest = hashlib.sha256(head)
    for chunk in iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return {"content_type": mime, "size": size, "sha256": digest.hexdigest()}
