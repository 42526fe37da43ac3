"""/api/v1/ endpoints of the exchange app."""

from __future__ import annotations

from ninja import Router

from digigov.api.auth import AUTH

router = Router(tags=["Liên thông văn bản (edXML)"], auth=AUTH)
