"""Read queries over the open-data catalog, shared by the portal, the CKAN API and /api/v1/."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from digigov.core.text import fold
from digigov.orgs.models import Agency

from .models import Dataset, Group, Resource, Tag

PUBLISHED = Q(state=Dataset.State.PUBLISHED)


def org_name(agency: Agency) -> str:
    """The CKAN organization name of an agency: its organ code in URL-safe form."""
    return agency.code.lower().replace(".", "-")


def agency_by_org_name(value: str) -> Agency | None:
    value = (value or "").strip()
    if not value:
        return None
    if _is_uuid(value):
        return Agency.objects.filter(uuid=value).first()
    return Agency.objects.filter(code=value.upper().replace("-", ".")).first()


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def with_relations(qs: QuerySet[Dataset]) -> QuerySet[Dataset]:
    return qs.select_related("publisher").prefetch_related(
        "tags", "groups", Prefetch("resources", queryset=Resource.objects.order_by("position",
                                                                                   "pk")))


def published_datasets() -> QuerySet[Dataset]:
    return with_relations(Dataset.objects.filter(PUBLISHED))


def visible_datasets(user=None) -> QuerySet[Dataset]:
    """Published datasets, and the drafts of the agencies ``user`` administers."""
    from .services import managed_agencies

    condition = PUBLISHED
    agencies = managed_agencies(user).values("pk") if user is not None else None
    if agencies is not None:
        condition |= Q(publisher__in=agencies)
    return with_relations(Dataset.objects.filter(condition))


def text_filter(q: str | None) -> Q:
    """Every word of ``q``, with or without diacritics, in the name, title, notes, tags or
    publisher."""
    condition = Q()
    for word in fold(q or "").split():
        condition &= Q(search_text__contains=word)
    return condition


def publisher_filter(value: str) -> Q:
    agency = agency_by_org_name(value)
    return Q(publisher=agency) if agency else Q(pk__in=[])


def tag_filter(value: str) -> Q:
    return Q(pk__in=Dataset.tags.through.objects.filter(
        tag__folded=fold(value)).values("dataset_id"))


def format_filter(value: str) -> Q:
    return Q(pk__in=Resource.objects.filter(format__iexact=value.strip()).values("dataset_id"))


def group_filter(value: str) -> Q:
    return Q(pk__in=Dataset.groups.through.objects.filter(
        group__name=value.strip()).values("dataset_id"))


def search_datasets(q: str | None = None, *, publisher: str | None = None,
                    tag: str | None = None, format: str | None = None,
                    group: str | None = None, base: QuerySet[Dataset] | None = None
                    ) -> QuerySet[Dataset]:
    """Datasets of ``base`` (default: published) matching the words and the filters."""
    qs = base if base is not None else published_datasets()
    qs = qs.filter(text_filter(q))
    if publisher:
        qs = qs.filter(publisher_filter(publisher))
    if tag:
        qs = qs.filter(tag_filter(tag))
    if format:
        qs = qs.filter(format_filter(format))
    if group:
        qs = qs.filter(group_filter(group))
    return qs


def publishers(*, only_published: bool = True) -> QuerySet[Agency]:
    """Agencies that publish at least one dataset, with their number of published datasets."""
    qs = Agency.objects.annotate(
        package_count=Count("datasets", filter=Q(datasets__state=Dataset.State.PUBLISHED)))
    if only_published:
        qs = qs.filter(package_count__gt=0)
    return qs.order_by("name")


def groups() -> QuerySet[Group]:
    return Group.objects.annotate(
        package_count=Count("datasets", filter=Q(datasets__state=Dataset.State.PUBLISHED))
    ).order_by("name")


def tags_in_use() -> QuerySet[Tag]:
    return Tag.objects.filter(datasets__state=Dataset.State.PUBLISHED).annotate(
        count=Count("datasets")).order_by("name")


def formats_in_use(qs: QuerySet[Dataset] | None = None) -> list[str]:
    datasets = (qs if qs is not None else Dataset.objects.filter(PUBLISHED)).values("pk")
    return sorted(set(Resource.objects.filter(dataset__in=datasets)
                      .values_list("format", flat=True)))
