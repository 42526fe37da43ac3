"""Limit/offset pagination with the total count and links to the neighbouring pages."""

from __future__ import annotations

from typing import Generic, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50

T = TypeVar("T")


class PageParams(Schema):
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE,
                       description=f"Số mục mỗi trang (1-{MAX_PAGE_SIZE}).")
    offset: int = Field(0, ge=0, description="Số mục bỏ qua từ đầu danh sách.")


class Page(Schema, Generic[T]):
    count: int = Field(description="Tổng số mục khớp điều kiện lọc.")
    limit: int = Field(description="Số mục tối đa của trang này.")
    offset: int = Field(description="Vị trí của mục đầu tiên trong trang.")
    next: str | None = Field(description="Địa chỉ trang sau; null nếu là trang cuối.")
    previous: str | None = Field(description="Địa chỉ trang trước; null nếu là trang đầu.")
    items: list[T]


def _link(request: HttpRequest, offset: int, limit: int) -> str:
    query = request.GET.copy()
    query["limit"] = str(limit)
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(request: HttpRequest, queryset: QuerySet, params: PageParams) -> dict:
    count = queryset.count()
    limit, offset = params.limit, params.offset
    items = list(queryset[offset:offset + limit])
    next_link = _link(request, offset + limit, limit) if offset + limit < count else None
    previous_link = None
    if offset > 0:
        # From past the end, "previous" leads to the last real page.
        previous_offset = max(0, min(offset - limit, count - limit))
        previous_link = _link(request, previous_offset, limit)
    return {"count": count, "limit": limit, "offset": offset, "next": next_link,
            "previous": previous_link, "items": items}
