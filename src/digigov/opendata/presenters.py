"""Datasets as CKAN package dictionaries (the CKAN API, /api/v1/ and the portal share them)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from . import licences
from .models import Dataset, Group, Resource
from .selectors import org_name


def base_url(request=None) -> str:
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.PUBLIC_BASE_URL.rstrip("/")


def _iso(value) -> str | None:
    # CKAN writes naive UTC timestamps: "2026-03-02T01:02:03.456789".
    if value is None:
        return None
    from datetime import UTC

    return value.astimezone(UTC).replace(tzinfo=None).isoformat()


def dataset_url(dataset: Dataset, request=None) -> str:
    return base_url(request) + reverse("opendata:dataset", args=[dataset.name])


def resource_url(resource: Resource, request=None) -> str:
    """Where the data is: the download address of a file, or the API link itself."""
    if not resource.is_file:
        return resource.url
    return base_url(request) + reverse(
        "opendata:download", args=[resource.dataset.name, resource.uuid,
                                   f"{resource.dataset.name}.{resource.extension}"])


def resource_page_url(resource: Resource, request=None) -> str:
    return base_url(request) + reverse("opendata:resource",
                                       args=[resource.dataset.name, resource.uuid])


def organization_dict(agency, request=None, *, package_count: int | None = None) -> dict:
    out = {
        "id": str(agency.uuid), "name": org_name(agency), "title": agency.name,
        "display_name": agency.name, "description": "", "type": "organization",
        "is_organization": True, "state": "active", "approval_status": "approved",
        "image_url": "", "created": _iso(None),
        "extras": [{"key": "organ_code", "value": agency.code},
                   {"key": "level", "value": agency.level}],
    }
    if package_count is not None:
        out["package_count"] = package_count
    return out


def group_dict(group: Group, *, package_count: int | None = None) -> dict:
    out = {"id": str(group.uuid), "name": group.name, "title": group.title,
           "display_name": group.title, "description": group.description, "type": "group",
           "is_organization": False, "state": "active", "approval_status": "approved",
           "image_url": "", "created": _iso(group.created_at)}
    if package_count is not None:
        out["package_count"] = package_count
    return out


def resource_dict(resource: Resource, request=None) -> dict:
    return {
        "id": str(resource.uuid), "package_id": str(resource.dataset.uuid),
        "name": resource.name, "description": resource.description,
        "url": resource_url(resource, request), "format": resource.format,
        "mimetype": resource.media_type, "size": resource.size,
        "hash": f"sha256:{resource.sha256}" if resource.sha256 else "",
        "url_type": "upload" if resource.is_file else None,
        "resource_type": "file" if resource.is_file else "api",
        "position": resource.position, "state": "active",
        "created": _iso(resource.created_at), "last_modified": _iso(resource.last_modified),
        "metadata_modified": _iso(resource.last_modified),
    }


def package_dict(dataset: Dataset, request=None) -> dict:
    licence = licences.get(dataset.licence_id)
    resources = [resource_dict(r, request) for r in dataset.resources.all()]
    tags = [{"id": str(t.pk), "name": t.name, "display_name": t.name, "state": "active",
             "vocabulary_id": None} for t in dataset.tags.all()]
    frequency = dataset.frequency
    extras = [
        {"key": "frequency", "value": frequency},
        {"key": "spatial_text", "value": dataset.spatial},
        {"key": "temporal_start", "value": dataset.temporal_start.isoformat()
         if dataset.temporal_start else ""},
        {"key": "temporal_end", "value": dataset.temporal_end.isoformat()
         if dataset.temporal_end else ""},
        {"key": "issued", "value": _iso(dataset.issued_at) or ""},
        {"key": "data_modified", "value": _iso(dataset.modified) or ""},
        {"key": "automatic", "value": dataset.automatic or ""},
    ]
    return {
        "id": str(dataset.uuid), "name": dataset.name, "title": dataset.title,
        "notes": dataset.notes, "type": "dataset", "state": "active",
        "private": not dataset.is_published, "url": dataset_url(dataset, request),
        "license_id": dataset.licence_id, "license_title": licence.title if licence else "",
        "license_url": licence.url if licence else "",
        "isopen": bool(licence and licence.od_conformance == "approved"),
        "author": dataset.publisher.name, "author_email": dataset.publisher.email or None,
        "maintainer": dataset.contact_name or None,
        "maintainer_email": dataset.contact_email or None,
        "owner_org": str(dataset.publisher.uuid),
        "organization": organization_dict(dataset.publisher, request),
        "tags": tags, "num_tags": len(tags),
        "groups": [group_dict(g) for g in dataset.groups.all()],
        "resources": resources, "num_resources": len(resources),
        "metadata_created": _iso(dataset.created_at),
        "metadata_modified": _iso(max(dataset.metadata_modified, dataset.modified)),
        "extras": extras,
    }
