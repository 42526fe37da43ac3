"""/api/v1/ endpoints of the documents app."""

from __future__ import annotations

from ninja import Router

from digigov.api.auth import AUTH

router = Router(tags=["Văn bản đi, văn bản đến"], auth=AUTH)
