"""Field-level messages for request validation errors, in the user's language.

Request parsing (pydantic, through django-ninja) reports errors with a type,
a location such as ``["body", "payload", "reason"]`` and an English message.
Clients get the field name (``reason``) and a translated message instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _

# Names of handler parameters that wrap a whole schema; they are not fields.
WRAPPER_NAMES = {"payload", "filters", "form", "pagination", "ninja_pagination"}
LOCATIONS = {"body", "query", "path", "form", "file", "header", "cookie"}


def field_name(loc: Iterable) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in LOCATIONS:
        parts = parts[1:]
    if parts and parts[0] in WRAPPER_NAMES:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def message(error: Mapping) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    bad_datetime = _("Thời điểm không hợp lệ (ISO 8601, ví dụ 2026-03-02T09:00:00+07:00).")
    messages = {
        "missing": _("Bắt buộc."),
        "int_parsing": _("Phải là số nguyên."),
        "int_type": _("Phải là số nguyên."),
        "int_from_float": _("Phải là số nguyên."),
        "float_parsing": _("Phải là một số."),
        "string_type": _("Phải là chuỗi ký tự."),
        "bool_parsing": _("Phải là true hoặc false."),
        "bool_type": _("Phải là true hoặc false."),
        "date_parsing": _("Ngày không hợp lệ (định dạng YYYY-MM-DD)."),
        "date_from_datetime_parsing": _("Ngày không hợp lệ (định dạng YYYY-MM-DD)."),
        "datetime_parsing": bad_datetime,
        "datetime_from_date_parsing": bad_datetime,
        "datetime_type": bad_datetime,
        "uuid_parsing": _("Mã UUID không hợp lệ."),
        "uuid_type": _("Mã UUID không hợp lệ."),
        "list_type": _("Phải là một danh sách."),
        "dict_type": _("Phải là một đối tượng JSON."),
        "model_attributes_type": _("Phải là một đối tượng JSON."),
        "json_invalid": _("JSON không hợp lệ."),
        "extra_forbidden": _("Trường không được hỗ trợ."),
    }
    if kind in messages:
        return str(messages[kind])
    if kind == "greater_than_equal":
        return _("Phải lớn hơn hoặc bằng %(limit)s.") % {"limit": ctx.get("ge")}
    if kind == "greater_than":
        return _("Phải lớn hơn %(limit)s.") % {"limit": ctx.get("gt")}
    if kind == "less_than_equal":
        return _("Phải nhỏ hơn hoặc bằng %(limit)s.") % {"limit": ctx.get("le")}
    if kind == "less_than":
        return _("Phải nhỏ hơn %(limit)s.") % {"limit": ctx.get("lt")}
    if kind in ("string_too_long", "too_long"):
        return _("Quá dài (tối đa %(limit)s).") % {"limit": ctx.get("max_length")}
    if kind in ("string_too_short", "too_short"):
        return _("Quá ngắn (tối thiểu %(limit)s).") % {"limit": ctx.get("min_length")}
    if kind in ("enum", "literal_error"):
        return _("Giá trị không hợp lệ; chọn một trong: %(expected)s.") % {
            "expected": str(ctx.get("expected", "")).replace(" or ", ", ")}
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    return _("Giá trị không hợp lệ.")


def field_errors(errors: Iterable[Mapping]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for error in errors:
        result.setdefault(field_name(error.get("loc", ())), []).append(message(error))
    return result
