"""/api/v1/ endpoints of the opendata app: the published datasets, thin over its selectors.

The same catalog answers CKAN clients at /api/3/action/ and DCAT-AP harvesters at
/du-lieu-mo/catalog.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from digigov.api.openapi import PROBLEMS
from digigov.api.pagination import Page, PageParams, paginate
from digigov.core.errors import NotFound
from digigov.opendata import auto, presenters, selectors
from digigov.opendata.models import Dataset

router = Router(tags=["Dữ liệu mở"])


class DatasetFilters(Schema):
    q: str | None = Field(None, max_length=200, description=(
        "Từ khóa trong tên, mô tả, từ khóa gắn hoặc cơ quan, có dấu hoặc không dấu."))
    publisher: str | None = Field(None, max_length=40, description=(
        "Cơ quan công bố: mã định danh (000.00.00.H37) hoặc dạng tên CKAN (000-00-00-h37)."))
    tag: str | None = Field(None, max_length=100, description="Từ khóa gắn.")
    format: str | None = Field(None, max_length=10, description="Định dạng: CSV, JSON, XLSX, API.")
    group: str | None = Field(None, max_length=100, description="Tên định danh của chủ đề.")


class OrganizationOut(Schema):
    id: str
    name: str = Field(description="Tên CKAN của cơ quan (mã định danh, dấu chấm thành gạch).")
    title: str


class TagOut(Schema):
    name: str


class GroupOut(Schema):
    name: str
    title: str


class ResourceOut(Schema):
    id: str
    name: str
    description: str
    url: str = Field(description="Địa chỉ tải tệp, hoặc địa chỉ API.")
    format: str
    mimetype: str
    size: int | None
    hash: str = Field(description="sha256:<hex> của tệp; rỗng với liên kết API.")
    last_modified: str | None


class DatasetSummary(Schema):
    id: str
    name: str
    title: str
    notes: str
    license_id: str
    license_title: str
    organization: OrganizationOut
    tags: list[TagOut]
    groups: list[GroupOut]
    num_resources: int
    metadata_created: str | None
    metadata_modified: str | None
    url: str = Field(description="Trang của bộ dữ liệu trên cổng dữ liệu mở.")


class ExtraOut(Schema):
    key: str
    value: str


class DatasetDetail(DatasetSummary):
    license_url: str
    maintainer: str | None
    maintainer_email: str | None
    resources: list[ResourceOut]
    extras: list[ExtraOut]


class DatasetPage(Page[DatasetSummary]):
    pass


@router.get("/datasets", response={200: DatasetPage, **PROBLEMS(422)}, auth=None,
            summary="Tìm bộ dữ liệu mở")
def list_datasets(request: HttpRequest, filters: Query[DatasetFilters],
                  pagination: Query[PageParams]):
    """Published datasets, by words and by publisher, tag, format or theme (CKAN-shaped)."""
    auto.refresh_stale()
    qs = selectors.search_datasets(filters.q, publisher=filters.publisher, tag=filters.tag,
                                   format=filters.format, group=filters.group
                                   ).order_by("title_sort", "name")
    page = paginate(request, qs, pagination)
    page["items"] = [presenters.package_dict(d, request) for d in page["items"]]
    return page


@router.get("/datasets/{name}", response={200: DatasetDetail, **PROBLEMS(404)}, auth=None,
            summary="Chi tiết bộ dữ liệu mở")
def get_dataset(request: HttpRequest, name: str):
    """A published dataset with its resources, like CKAN's package_show."""
    dataset = Dataset.objects.filter(name=name, state=Dataset.State.PUBLISHED).first()
    if dataset is None:
        raise NotFound(_("Không tìm thấy bộ dữ liệu %(name)s.") % {"name": name})
    if dataset.automatic:
        auto.ensure_fresh(dataset)
    return presenters.package_dict(selectors.published_datasets().get(pk=dataset.pk), request)


