"""Checks on uploaded data files: the format is read from the content, never from the name."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import zipfile

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from digigov.core.errors import InvalidInput

MEDIA_TYPES = {
    "CSV": "text/csv",
    "JSON": "application/json",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {"csv": "CSV", "json": "JSON", "xlsx": "XLSX"}


def max_bytes() -> int:
    return int(getattr(settings, "OPENDATA_UPLOAD_MAX_BYTES", 50 * 1024 * 1024))


def _refuse(message: str, field: str):
    raise InvalidInput(message, fields={field: [message]})


def detect_format(data: bytes, name: str, *, field: str = "file") -> str:
    """"CSV", "JSON" or "XLSX" from the bytes; InvalidInput with the reason otherwise."""
    if data[:4] == b"PK\x03\x04":
        return _check_xlsx(data, name, field)
    kind = filetype.guess(data[:8192])
    if kind is not None:
        _refuse(_("Tệp “%(name)s” không phải CSV, JSON hay XLSX (nội dung là %(mime)s).")
                % {"name": name, "mime": kind.mime}, field)
    if b"\x00" in data[:8192]:
        _refuse(_("Tệp “%(name)s” không phải CSV, JSON hay XLSX (nội dung nhị phân).")
                % {"name": name}, field)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _refuse(_("Tệp “%(name)s” không phải văn bản UTF-8; hãy lưu CSV, JSON ở mã UTF-8.")
                % {"name": name}, field)
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        try:
            json.loads(stripped)
        except ValueError as exc:
            _refuse(_("Tệp “%(name)s” không phải JSON hợp lệ (dòng %(line)s, cột %(col)s).")
                    % {"name": name, "line": getattr(exc, "lineno", "?"),
                       "col": getattr(exc, "colno", "?")}, field)
        return "JSON"
    _check_csv(text, name, field)
    return "CSV"


def _check_xlsx(data: bytes, name: str, field: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        names = set()
    if "xl/workbook.xml" not in names:
        _refuse(_("Tệp “%(name)s” là tệp nén nhưng không phải bảng tính XLSX.") % {"name": name},
                field)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        workbook.close()
    except Exception:  # openpyxl raises many kinds on a broken workbook
        _refuse(_("Không mở được bảng tính “%(name)s”; tệp bị hỏng.") % {"name": name}, field)
    return "XLSX"


def _check_csv(text: str, name: str, field: str) -> None:
    if not text.strip():
        _refuse(_("Tệp “%(name)s” rỗng.") % {"name": name}, field)
    sample = text[:16384]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [row for row in csv.reader(io.StringIO(text), dialect) if row]
    except csv.Error as exc:
        _refuse(_("Tệp “%(name)s” không phải CSV hợp lệ: %(error)s.")
                % {"name": name, "error": exc}, field)
    width = len(rows[0])
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != width:
            _refuse(_("Tệp “%(name)s” không phải CSV hợp lệ: dòng %(line)d có %(found)d cột, "
                      "dòng tiêu đề có %(width)d cột.")
                    % {"name": name, "line": number, "found": len(row), "width": width}, field)


def inspect_data_file(upload, *, field: str = "file") -> dict:
    """Validate one uploaded data file; its format, media type, size and SHA-256."""
    name = os.path.basename(upload.name or "") or "tep"
    size = upload.size or 0
    if size == 0:
        _refuse(_("Tệp “%(name)s” rỗng.") % {"name": name}, field)
    if size > max_bytes():
        _refuse(_("Tệp “%(name)s” vượt quá dung lượng cho phép (%(limit)s).")
                % {"name": name, "limit": filesizeformat(max_bytes())}, field)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    fmt = detect_format(data, name, field=field)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    declared = EXTENSIONS.get(extension)
    if declared and declared != fmt:
        _refuse(_("Tên tệp “%(name)s” ghi định dạng %(declared)s nhưng nội dung là %(found)s.")
                % {"name": name, "declared": declared, "found": fmt}, field)
    return {"format": fmt, "media_type": MEDIA_TYPES[fmt], "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest()}
