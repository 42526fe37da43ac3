"""Reading the parts of a multipart dossier request: the e-form JSON and the component files."""

from __future__ import annotations

import json

from django.http import HttpRequest
from django.utils.translation import gettext as _

from digigov.core.errors import InvalidInput

COMPONENT_PREFIX = "component_"


def parse_form_data(raw: str | None, *, field: str = "form_data") -> dict:
    """The e-form as a JSON object of scalar values."""
    if raw is None or not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        raise InvalidInput(_("Tờ khai không phải JSON hợp lệ."),
                           fields={field: [_("JSON không hợp lệ.")]}) from None
    if not isinstance(value, dict):
        raise InvalidInput(_("Tờ khai phải là một đối tượng JSON {khóa: giá trị}."),
                           fields={field: [_("Phải là một đối tượng JSON.")]})
    nested = [key for key, v in value.items() if isinstance(v, dict | list)]
    if nested:
        raise InvalidInput(_("Giá trị của tờ khai phải là chuỗi, số hoặc null."),
                           fields={f"{field}.{key}": [_("Giá trị không hợp lệ.")]
                                   for key in nested})
    return value


def component_files(request: HttpRequest) -> dict:
    """``{component id: upload}`` from parts named ``component_<id>``, one file each."""
    files, errors = {}, {}
    for name, uploads in request.FILES.lists():
        suffix = name.removeprefix(COMPONENT_PREFIX)
        if not name.startswith(COMPONENT_PREFIX) or not suffix.isdigit():
            errors[name] = [_("Tên trường tệp phải có dạng component_<mã thành phần>.")]
        elif len(uploads) > 1:
            errors[name] = [_("Mỗi thành phần hồ sơ chỉ gửi một tệp.")]
        else:
            files[suffix] = uploads[0]
    if errors:
        raise InvalidInput(_("Tệp đính kèm chưa hợp lệ."), fields=errors)
    return files
