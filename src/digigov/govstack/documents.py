"""``POST /documents`` uploads and the ``documentUrls`` that name them later.

An upload is checked like any dossier file (``dossiers.uploads.inspect_upload``)
and kept as a ``StagedDocument`` of its uploader. ``additionalMetadata`` (a
JSON object) may name the e-form component it is for: ``{"componentId": "12"}``;
an application can only attach documents that name one. Attaching hands the
files to the dossier services and then deletes the staged copies.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from urllib.parse import urlparse

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from digigov.catalog.models import ComponentSpec
from digigov.core.errors import InvalidInput
from digigov.dossiers.uploads import inspect_upload

from .http import parse_uuid
from .models import StagedDocument

URLS_FIELD = "documentUrls"


def _metadata(raw: str | None) -> dict:
    if raw in (None, ""):
        return {}
    try:
        metadata = json.loads(raw)
    except ValueError:
        metadata = None
    if not isinstance(metadata, dict):
        message = _('additionalMetadata phải là một đối tượng JSON, ví dụ {"componentId": "12"}.')
        raise InvalidInput(message, fields={"additionalMetadata": [message]})
    component = metadata.get("componentId")
    if component is not None:
        component = str(component)
        if not component.isdigit() or not ComponentSpec.objects.filter(pk=component).exists():
            message = _("Thành phần hồ sơ %(id)s không tồn tại.") % {"id": component}
            raise InvalidInput(message, fields={"additionalMetadata": [message]})
        metadata["componentId"] = component
    return metadata


def _the_upload(request: HttpRequest):
    """Exactly one file: a multipart file part, or a base64 text part named ``file``."""
    files = request.FILES.getlist("file")
    texts = request.POST.getlist("file")
    if len(files) + len(texts) != 1:
        message = (_("Hãy gửi đúng một tệp trong trường “file” (mỗi yêu cầu một tệp).")
                   if files or texts else _("Chưa có tệp trong trường “file”."))
        raise InvalidInput(message, fields={"file": [message]})
    if files:
        return files[0]
    try:
        content = base64.b64decode(texts[0], validate=True)
    except (binascii.Error, ValueError):
        message = _("Trường “file” không phải tệp, cũng không phải dữ liệu base64 hợp lệ.")
        raise InvalidInput(message, fields={"file": [message]}) from None
    return ContentFile(content, name=request.POST.get("fileName") or "document")


def stage(request: HttpRequest, user) -> StagedDocument:
    raw_metadata = request.GET.get("additionalMetadata") or request.POST.get("additionalMetadata")
    metadata = _metadata(raw_metadata)
    upload = _the_upload(request)
    facts = inspect_upload(upload, field="file")
    name = (getattr(upload, "name", "") or "document").rsplit("/", 1)[-1][:255]
    return StagedDocument.objects.create(
        owner=user, component_id=metadata.get("componentId", ""), metadata=metadata,
        file=File(upload, name=name), original_name=name, **facts,
    )


def document_path(document_uuid) -> str:
    return reverse("govstack-registration:document", args=[str(document_uuid)])


def _uuid_from_url(value) -> object | None:
    """A document URL of this API (any host: proxies rewrite it), or a bare document id."""
    if not isinstance(value, str):
        return None
    bare = parse_uuid(value.strip())
    if bare:
        return bare
    path = urlparse(value.strip()).path.rstrip("/")
    found = parse_uuid(path.rsplit("/", 1)[-1])
    return found if found and path == document_path(found).rstrip("/") else None


def resolve(user, urls) -> list[StagedDocument]:
    """The caller's staged documents named by ``documentUrls``, one per component."""
    if urls in (None, ""):
        return []
    if not isinstance(urls, list):
        raise InvalidInput(_("documentUrls phải là một mảng địa chỉ tài liệu."),
                           fields={URLS_FIELD: [_("Phải là một mảng.")]})
    documents, errors, seen_components = [], {}, {}
    for index, url in enumerate(urls):
        key = f"{URLS_FIELD}[{index}]"
        doc_uuid = _uuid_from_url(url)
        document = (StagedDocument.objects.filter(uuid=doc_uuid, owner=user).first()
                    if doc_uuid else None)
        if document is None:
            errors[key] = [_("Không phải tài liệu bạn đã tải lên qua POST /documents "
                             "(hoặc tài liệu đã được đính kèm vào hồ sơ khác).")]
        elif not document.component_id:
            errors[key] = [_('Tài liệu chưa ghi thành phần hồ sơ: hãy tải lên lại với '
                             'additionalMetadata={"componentId": "..."}.')]
        elif document.component_id in seen_components:
            errors[key] = [_("Thành phần hồ sơ này đã có tài liệu %(url)s.")
                           % {"url": seen_components[document.component_id]}]
        else:
            seen_components[document.component_id] = url
            documents.append(document)
    if errors:
        raise InvalidInput(_("Danh sách tài liệu đính kèm chưa hợp lệ."), fields=errors)
    return documents


@contextlib.contextmanager
def opened(documents: list[StagedDocument]) -> Iterator[dict[str, File]]:
    """The staged files as the dossier services take them: {component id: file}."""
    with contextlib.ExitStack() as stack:
        files = {}
        for document in documents:
            handle = stack.enter_context(document.file.storage.open(document.file.name, "rb"))
            handle.name = document.original_name
            files[document.component_id] = handle
        yield files


def consume(documents: list[StagedDocument]) -> None:
    """Forget documents now copied into a dossier; their files go once the change commits."""
    names = [(d.file.storage, d.file.name) for d in documents]
    StagedDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()

    def delete_files():
        for storage, name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)


def purge(older_than) -> int:
    """Delete staged documents never attached, uploaded before ``older_than``."""
    stale = list(StagedDocument.objects.filter(uploaded_at__lt=older_than))
    for document in stale:
        document.file.delete(save=False)
    StagedDocument.objects.filter(pk__in=[d.pk for d in stale]).delete()
    return len(stale)


def default_purge_cutoff(days: int):
    return timezone.now() - dt.timedelta(days=days)
