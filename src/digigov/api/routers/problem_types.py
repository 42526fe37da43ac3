"""``/problems/<code>``: the documentation behind each problem ``type`` URI."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from digigov.api.openapi import PROBLEMS
from digigov.api.problems import PROBLEM_TYPES
from digigov.api.schemas.catalog import ProblemTypeOut
from digigov.core.errors import NotFound

router = Router(tags=["Loại lỗi"])


@router.get("/problems/{code}", response={200: ProblemTypeOut, **PROBLEMS(404)}, auth=None,
            url_name="problem_type", summary="Giải thích một loại lỗi")
def problem_type(request: HttpRequest, code: str):
    """What a problem ``type`` means and what the client can do about it."""
    known = PROBLEM_TYPES.get(code)
    if known is None:
        raise NotFound(_("Không có loại lỗi “%(code)s”.") % {"code": code})
    return {"code": known.code, "status": known.status, "title": str(known.title),
            "description": str(known.description)}
