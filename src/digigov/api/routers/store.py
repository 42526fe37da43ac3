"""The caller's electronic data store: papers that can be reused when submitting."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from digigov.api.auth import AUTH
from digigov.api.openapi import PROBLEMS
from digigov.api.pagination import PageParams, paginate
from digigov.api.schemas.store import StoredPaperPage
from digigov.store.selectors import my_papers

router = Router(tags=["Kho dữ liệu"], auth=AUTH)


def _paper(p) -> dict:
    return {
        "uuid": str(p.uuid), "kind": {"code": p.kind.code, "name": p.kind.name},
        "title": p.title, "number": p.number, "issuer_name": p.issuer_name,
        "issuer_code": p.issuer_code, "issued_on": p.issued_on, "valid_until": p.valid_until,
        "is_valid": p.is_valid, "source": p.source,
        "dossier": p.dossier.code if p.dossier else None, "content_type": p.content_type,
        "size": p.size, "sha256": p.sha256, "created_at": p.created_at,
    }


@router.get("/store/papers", response={200: StoredPaperPage, **PROBLEMS(401, 422)},
            summary="Giấy tờ trong kho dữ liệu của tôi")
def list_papers(request: HttpRequest, pagination: Query[PageParams]):
    """The signed-in citizen's or business's stored papers, newest first.

    Their `uuid` goes in the `reuse` field of `POST /dossiers`.
    """
    page = paginate(request, my_papers(request.auth), pagination)
    page["items"] = [_paper(p) for p in page["items"]]
    return page
