"""/api/v1/ endpoints of the opendata app."""

from __future__ import annotations

from ninja import Router

from digigov.api.auth import AUTH

router = Router(tags=["Dữ liệu mở"], auth=AUTH)
