"""/api/v1/ endpoints of the reports app."""

from __future__ import annotations

from ninja import Router

from digigov.api.auth import AUTH

router = Router(tags=["Chỉ số phục vụ và báo cáo"], auth=AUTH)
