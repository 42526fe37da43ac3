"""Use cases of the open-data catalog. The only code that writes its models.

Agency administrators (role ``agency_admin``) manage the datasets their
agency publishes. Every refusal raises a ``DomainError`` and changes
nothing; every change is an audit event.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from digigov.accounts.models import Role
from digigov.audit.services import record
from digigov.core.errors import InvalidInput, InvalidTransition, NotAllowed
from digigov.orgs.models import Agency

from .files import inspect_data_file
from .licences import LICENCES
from .models import RESERVED_NAMES, Dataset, Group, Resource, Tag

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,99}$")
TAG_RE = re.compile(r"^[\w .\-]+$")
MAX_TAGS = 30
EDITABLE = ("name", "title", "notes", "licence_id", "frequency", "temporal_start",
            "temporal_end", "spatial", "contact_name", "contact_email")


# -- permissions ----------------------------------------------------------------------------
def can_manage(user, agency: Agency) -> bool:
    """Whether ``user`` administers the agency that publishes (agency_admin there)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_official", False):
        return False
    return agency.pk in user.role_agency_ids(Role.AGENCY_ADMIN)


def managed_agencies(user) -> QuerySet[Agency]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_official", False):
        return Agency.objects.none()
    return Agency.objects.filter(pk__in=user.role_agency_ids(Role.AGENCY_ADMIN)).order_by("name")


def _require_manager(user, agency: Agency) -> None:
    if not can_manage(user, agency):
        raise NotAllowed(_("Chỉ quản trị của %(agency)s được quản lý dữ liệu mở của cơ quan "
                           "này.") % {"agency": agency.name})


def _require_manual(dataset: Dataset) -> None:
    if dataset.automatic:
        raise InvalidTransition(_("Bộ dữ liệu “%(title)s” được tạo tự động; nội dung của nó "
                                  "không sửa tay được.") % {"title": dataset.title})


# -- validation -----------------------------------------------------------------------------
def normalise_tags(tags: Iterable[str] | str | None) -> list[str]:
    """Tags from a list or a comma-separated text: trimmed, lower-case, without duplicates."""
    if tags is None:
        return []
    if isinstance(tags, str):
        tags = tags.split(",")
    out: list[str] = []
    for raw in tags:
        tag = " ".join(str(raw).split()).lower()
        if tag and tag not in out:
            out.append(tag)
    return out


def _clean(data: dict, *, dataset: Dataset | None = None) -> dict:
    errors: dict[str, list[str]] = {}
    clean = dict(data)
    if "name" in data:
        name = (data["name"] or "").strip().lower()
        if not NAME_RE.match(name):
            errors["name"] = [_("Tên định danh gồm 2-100 ký tự: chữ thường không dấu, số và dấu "
                                "gạch ngang, bắt đầu bằng chữ hoặc số.")]
        elif name in RESERVED_NAMES:
            errors["name"] = [_("Tên định danh “%(name)s” đã được dành riêng.") % {"name": name}]
        elif Dataset.objects.filter(name=name).exclude(
                pk=dataset.pk if dataset else None).exists():
            errors["name"] = [_("Đã có bộ dữ liệu tên “%(name)s”.") % {"name": name}]
        clean["name"] = name
    if "title" in data:
        title = " ".join((data["title"] or "").split())
        if not title:
            errors["title"] = [_("Hãy nhập tên bộ dữ liệu.")]
        elif len(title) > 300:
            errors["title"] = [_("Tên bộ dữ liệu dài tối đa 300 ký tự.")]
        clean["title"] = title
    if "notes" in data:
        clean["notes"] = (data["notes"] or "").strip()
    if "licence_id" in data and data["licence_id"] not in LICENCES:
        errors["licence_id"] = [_("Giấy phép “%(id)s” không có trong danh sách giấy phép.")
                                % {"id": data["licence_id"]}]
    if "frequency" in data and data["frequency"] not in Dataset.Frequency.values:
        errors["frequency"] = [_("Tần suất cập nhật không hợp lệ.")]
    for key in ("temporal_start", "temporal_end"):
        if key in data and data[key] is not None and not isinstance(data[key], dt.date):
            errors[key] = [_("Ngày không hợp lệ.")]
    start = clean.get("temporal_start", dataset.temporal_start if dataset else None)
    end = clean.get("temporal_end", dataset.temporal_end if dataset else None)
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        errors["temporal_end"] = [_("Ngày kết thúc phải sau ngày bắt đầu.")]
    for key, limit in (("spatial", 300), ("contact_name", 200)):
        if key in data:
            clean[key] = " ".join((data[key] or "").split())
            if len(clean[key]) > limit:
                errors[key] = [_("Dài tối đa %(n)d ký tự.") % {"n": limit}]
    if "contact_email" in data:
        email = (data["contact_email"] or "").strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors["contact_email"] = [_("Thư điện tử không hợp lệ.")]
        clean["contact_email"] = email
    if "tags" in data:
        tags = normalise_tags(data["tags"])
        bad = [t for t in tags if len(t) > 100 or not TAG_RE.match(t)]
        if bad:
            errors["tags"] = [_("Từ khóa “%(tag)s” không hợp lệ: chỉ gồm chữ, số, khoảng trắng, "
                                "dấu chấm, gạch ngang, tối đa 100 ký tự.") % {"tag": bad[0][:100]}]
        elif len(tags) > MAX_TAGS:
            errors["tags"] = [_("Tối đa %(n)d từ khóa.") % {"n": MAX_TAGS}]
        clean["tags"] = tags
    if "groups" in data:
        wanted = list(data["groups"] or [])
        names = {g if isinstance(g, str) else g.name for g in wanted}
        groups = list(Group.objects.filter(name__in=names))
        unknown = names - {g.name for g in groups}
        if unknown:
            errors["groups"] = [_("Không có chủ đề “%(name)s”.") % {"name": sorted(unknown)[0]}]
        clean["groups"] = groups
    if errors:
        raise InvalidInput(_("Thông tin bộ dữ liệu chưa hợp lệ."), fields=errors)
    return clean


def _set_relations(dataset: Dataset, clean: dict) -> None:
    if "tags" in clean:
        tags = []
        for name in clean["tags"]:
            tag, _created = Tag.objects.get_or_create(name=name)
            tags.append(tag)
        dataset.tags.set(tags)
    if "groups" in clean:
        dataset.groups.set(clean["groups"])
    dataset.update_search_text()
    Dataset.objects.filter(pk=dataset.pk).update(search_text=dataset.search_text)


def _name_taken(name: str) -> InvalidInput:
    return InvalidInput(_("Thông tin bộ dữ liệu chưa hợp lệ."),
                        fields={"name": [_("Đã có bộ dữ liệu tên “%(name)s”.") % {"name": name}]})


# -- datasets -------------------------------------------------------------------------------
def create_dataset(*, actor, publisher: Agency, name: str, title: str, notes: str = "",
                   licence_id: str = "CC-BY-4.0", tags=(), groups=(),
                   frequency: str = Dataset.Frequency.IRREGULAR,
                   temporal_start: dt.date | None = None, temporal_end: dt.date | None = None,
                   spatial: str = "", contact_name: str = "", contact_email: str = "",
                   automatic: str = "") -> Dataset:
    """A new draft dataset of ``publisher``."""
    if actor is not None or not automatic:
        _require_manager(actor, publisher)
    clean = _clean({"name": name, "title": title, "notes": notes, "licence_id": licence_id,
                    "tags": tags, "groups": groups, "frequency": frequency,
                    "temporal_start": temporal_start, "temporal_end": temporal_end,
                    "spatial": spatial, "contact_name": contact_name,
                    "contact_email": contact_email})
    try:
        with transaction.atomic():
            dataset = Dataset.objects.create(
                publisher=publisher, automatic=automatic,
                created_by=actor if getattr(actor, "pk", None) else None,
                **{key: clean[key] for key in EDITABLE})
            _set_relations(dataset, clean)
            record(actor=actor, action="opendata_create_dataset", obj=dataset,
                   to_state=dataset.state, name=dataset.name, publisher=publisher.code)
    except IntegrityError:
        # Another request took the name between the check and the insert.
        raise _name_taken(clean["name"]) from None
    return dataset


def update_dataset(*, actor, dataset: Dataset, **changes) -> Dataset:
    """Change the metadata of a dataset; unknown fields are refused."""
    unknown = set(changes) - set(EDITABLE) - {"tags", "groups"}
    if unknown:
        raise InvalidInput(_("Không sửa được trường %(fields)s.")
                           % {"fields": ", ".join(sorted(unknown))})
    _require_manager(actor, dataset.publisher)
    if dataset.automatic and "name" in changes and changes["name"] != dataset.name:
        raise InvalidTransition(_("Không đổi được tên định danh của bộ dữ liệu tự động."))
    clean = _clean(changes, dataset=dataset)
    try:
        with transaction.atomic():
            locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
            for key in EDITABLE:
                if key in clean:
                    setattr(locked, key, clean[key])
            locked.save()
            _set_relations(locked, clean)
            record(actor=actor, action="opendata_update_dataset", obj=locked,
                   fields=sorted(changes))
    except IntegrityError:
        raise _name_taken(clean.get("name", dataset.name)) from None
    return locked


@transaction.atomic
def publish_dataset(*, actor, dataset: Dataset, now: dt.datetime | None = None) -> Dataset:
    _require_manager(actor, dataset.publisher)
    locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if locked.is_published:
        raise InvalidTransition(_("Bộ dữ liệu “%(title)s” đã được công bố.")
                                % {"title": locked.title})
    if not locked.resources.exists():
        raise InvalidTransition(_("Bộ dữ liệu chưa có tài nguyên nào; hãy tải tệp dữ liệu lên "
                                  "hoặc thêm liên kết API trước khi công bố."))
    locked.state = Dataset.State.PUBLISHED
    locked.issued_at = locked.issued_at or now or timezone.now()
    locked.save()
    record(actor=actor, action="opendata_publish", obj=locked, from_state="draft",
           to_state="published")
    return locked


@transaction.atomic
def unpublish_dataset(*, actor, dataset: Dataset) -> Dataset:
    _require_manager(actor, dataset.publisher)
    locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if not locked.is_published:
        raise InvalidTransition(_("Bộ dữ liệu “%(title)s” chưa được công bố.")
                                % {"title": locked.title})
    locked.state = Dataset.State.DRAFT
    locked.save()
    record(actor=actor, action="opendata_unpublish", obj=locked, from_state="published",
           to_state="draft")
    return locked


@transaction.atomic
def delete_dataset(*, actor, dataset: Dataset) -> None:
    """Delete a draft with its files; a published dataset must be withdrawn first."""
    _require_manager(actor, dataset.publisher)
    _require_manual(dataset)
    locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if locked.is_published:
        raise InvalidTransition(_("Hãy ngừng công bố bộ dữ liệu trước khi xóa."))
    files = [r.file.name for r in locked.resources.all() if r.file]
    record(actor=actor, action="opendata_delete_dataset", obj=locked, from_state=locked.state,
           name=locked.name)
    locked.delete()
    storage = Resource._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in files])


# -- resources ------------------------------------------------------------------------------
def _check_url(url: str, field: str = "url") -> str:
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise InvalidInput(_("Địa chỉ API không hợp lệ; hãy nhập địa chỉ http:// hoặc https://."),
                           fields={field: [_("Địa chỉ không hợp lệ.")]}) from None
    return url


def _resource_name(name: str, fallback: str) -> str:
    name = " ".join((name or "").split()) or fallback
    if len(name) > 300:
        raise InvalidInput(_("Tên tài nguyên dài tối đa 300 ký tự."),
                           fields={"name": [_("Dài tối đa 300 ký tự.")]})
    return name


def _touch(dataset: Dataset, when: dt.datetime) -> None:
    Dataset.objects.filter(pk=dataset.pk).update(data_modified=when, metadata_modified=when)


def _upload_name(dataset: Dataset, fmt: str) -> str:
    return f"{dataset.name}.{fmt.lower()}"


@transaction.atomic
def add_resource(*, actor, dataset: Dataset, name: str = "", description: str = "",
                 upload=None, url: str = "", now: dt.datetime | None = None) -> Resource:
    """Attach a data file (CSV, JSON, XLSX, checked by content) or a live API link."""
    _require_manager(actor, dataset.publisher)
    _require_manual(dataset)
    if (upload is None) == (not (url or "").strip()):
        raise InvalidInput(_("Hãy chọn một tệp dữ liệu hoặc nhập địa chỉ API (một trong hai)."),
                           fields={"file": [_("Chọn tệp hoặc nhập địa chỉ API.")]})
    now = now or timezone.now()
    locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
    position = locked.resources.count()
    if upload is not None:
        facts = inspect_data_file(upload, field="file")
        original = os.path.basename(upload.name or "")[:255]
        resource = Resource(dataset=locked, kind=Resource.Kind.FILE, position=position,
                            name=_resource_name(name, original or locked.title),
                            description=(description or "").strip(), original_name=original,
                            last_modified=now, **facts)
        resource.file.save(_upload_name(locked, facts["format"]), upload, save=False)
    else:
        resource = Resource(dataset=locked, kind=Resource.Kind.API, position=position,
                            url=_check_url(url), format=Resource.Format.API,
                            media_type="application/json", name=_resource_name(name, url.strip()),
                            description=(description or "").strip(), last_modified=now)
    resource.save()
    _touch(locked, now)
    record(actor=actor, action="opendata_add_resource", obj=locked, resource=str(resource.uuid),
           format=resource.format, sha256=resource.sha256)
    return resource


@transaction.atomic
def replace_resource(*, actor, resource: Resource, upload=None, url: str = "",
                     name: str | None = None, description: str | None = None,
                     now: dt.datetime | None = None) -> Resource:
    """New content for a resource (a file for a file, a link for a link), same identifier."""
    dataset = resource.dataset
    _require_manager(actor, dataset.publisher)
    _require_manual(dataset)
    now = now or timezone.now()
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    old_file = locked.file.name if locked.file else ""
    changed = False
    if locked.is_file and upload is not None:
        facts = inspect_data_file(upload, field="file")
        for key, value in facts.items():
            setattr(locked, key, value)
        locked.original_name = os.path.basename(upload.name or "")[:255]
        locked.file.save(_upload_name(dataset, facts["format"]), upload, save=False)
        changed = True
    elif not locked.is_file and (url or "").strip():
        locked.url = _check_url(url)
        changed = True
    elif upload is not None or (url or "").strip():
        raise InvalidInput(_("Tài nguyên là tệp thì thay bằng tệp, là liên kết API thì thay bằng "
                             "liên kết."), fields={"file": [_("Không đúng loại tài nguyên.")]})
    if name is not None:
        locked.name = _resource_name(name, locked.name)
    if description is not None:
        locked.description = description.strip()
    if changed:
        locked.last_modified = now
    locked.save()
    if changed:
        _touch(dataset, now)
        if old_file and old_file != locked.file.name:
            storage = locked.file.storage
            transaction.on_commit(lambda: storage.delete(old_file))
    else:
        Dataset.objects.filter(pk=dataset.pk).update(metadata_modified=now)
    record(actor=actor, action="opendata_replace_resource", obj=dataset,
           resource=str(locked.uuid), sha256=locked.sha256, content_changed=changed)
    return locked


@transaction.atomic
def delete_resource(*, actor, resource: Resource, now: dt.datetime | None = None) -> None:
    dataset = resource.dataset
    _require_manager(actor, dataset.publisher)
    _require_manual(dataset)
    locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if locked.is_published and locked.resources.count() == 1:
        raise InvalidTransition(_("Bộ dữ liệu đã công bố phải còn ít nhất một tài nguyên; hãy "
                                  "thay tệp thay vì xóa."))
    name = resource.file.name if resource.file else ""
    record(actor=actor, action="opendata_delete_resource", obj=locked,
           resource=str(resource.uuid))
    resource.delete()
    _touch(locked, now or timezone.now())
    if name:
        storage = Resource._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(name))


# -- automatic datasets (called by ``auto``; no user acts) -----------------------------------
def store_generated(dataset: Dataset, fmt: str, data: bytes, *, name: str, description: str,
                    media_type: str, now: dt.datetime) -> tuple[Resource, bool]:
    """Create or update the ``fmt`` file of an automatic dataset; whether its content changed."""
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    resource = dataset.resources.filter(kind=Resource.Kind.FILE, format=fmt).first()
    if resource and resource.sha256 == digest and resource.file:
        return resource, False
    old = resource.file.name if resource and resource.file else ""
    if resource is None:
        resource = Resource(dataset=dataset, kind=Resource.Kind.FILE, format=fmt,
                            position=dataset.resources.count())
    resource.name, resource.description = name, description
    resource.media_type, resource.size, resource.sha256 = media_type, len(data), digest
    resource.last_modified = now
    resource.original_name = f"{dataset.name}.{fmt.lower()}"
    resource.file.save(resource.original_name, ContentFile(data), save=False)
    resource.save()
    if old and old != resource.file.name:
        storage = resource.file.storage
        transaction.on_commit(lambda: storage.delete(old))
    return resource, True
