"""Finding the dossier a request names, within what the caller may see, and answering."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema

from digigov.core.errors import NotFound
from digigov.dossiers.models import Dossier
from digigov.dossiers.permissions import visible_dossiers

from .presenters import DOSSIER_RELATED


def visible_dossier(user, code: str) -> Dossier:
    """The dossier, if the user may see it; otherwise 404 whether or not it exists."""
    dossier = visible_dossiers(user).select_related(*DOSSIER_RELATED).filter(code=code).first()
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": code})
    return dossier


def json_response(schema: type[Schema], data: dict, *, status: int = 200,
                  headers: dict | None = None) -> HttpResponse:
    """Render through the response schema, so stored (idempotent) replies are byte-identical."""
    body = schema.model_validate(data).model_dump_json()  # serialised by pydantic-core
    response = HttpResponse(body, status=status, content_type="application/json")
    for name, value in (headers or {}).items():
        response[name] = value
    return response
