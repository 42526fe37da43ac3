"""``Idempotency-Key``: a retried POST returns the first response instead of acting twice.

The same key from the same user with the same request returns the stored
status and body (with ``Idempotent-Replayed: true``); the same key with a
different request is refused (422). Only successful responses are stored: a
refused request changed nothing, so it may be retried with the same key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digigov.core.errors import DomainError, InvalidInput

from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
REPLAYED_HEADER = "Idempotent-Replayed"


class IdempotencyKeyReused(DomainError):
    status = 422
    title = gettext_lazy("Khóa Idempotency-Key đã dùng cho yêu cầu khác")
    code = "idempotency_key_reused"


class _KeyTaken(Exception):
    pass


def _file_digest(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def fingerprint(request: HttpRequest) -> str:
    """A hash of what the request asks for, independent of multipart boundaries."""
    content_type = request.content_type or ""
    parts: dict = {"method": request.method, "path": request.path,
                   "query": sorted(request.GET.lists())}
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        parts["fields"] = sorted(request.POST.lists())
        parts["files"] = sorted(
            (name, upload.name, _file_digest(upload))
            for name, uploads in request.FILES.lists() for upload in uploads
        )
    else:
        try:
            parts["json"] = json.loads(request.body or b"null")
        except ValueError:
            parts["raw"] = hashlib.sha256(request.body).hexdigest()
    canonical = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _key(request: HttpRequest) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        message = _("Khóa Idempotency-Key phải gồm 1 đến %(max)s ký tự ASCII in được.") % {
            "max": MAX_KEY_LENGTH}
        raise InvalidInput(message, fields={HEADER: [message]})
    return key


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(record.response_body, status=record.status_code,
                            content_type="application/json")
    for name, value in record.response_headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def respond_idempotently(request: HttpRequest, user,
                         handler: Callable[[], HttpResponse]) -> HttpResponse:
    """Run ``handler`` (which changes state and renders a JSON response) at most once per key."""
    key = _key(request)
    if key is None:
        return handler()
    print_ = fingerprint(request)
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        user=user, key=key, fingerprint=print_, method=request.method,
                        path=request.path[:500])
            except IntegrityError as exc:
                # Committed by an earlier (or a concurrent, now finished) request.
                raise _KeyTaken from exc
            response = handler()
            record.status_code = response.status_code
            record.response_body = response.content.decode()
            record.response_headers = {name: response[name] for name in ("Location",)
                                       if response.has_header(name)}
            record.save()
            return response
    except _KeyTaken:
        pass
    record = IdempotencyRecord.objects.get(user=user, key=key)
    if record.fingerprint != print_:
        raise IdempotencyKeyReused(
            _("Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác (%(method)s "
              "%(path)s với nội dung khác). Hãy dùng khóa mới cho yêu cầu mới.")
            % {"method": record.method, "path": record.path},
            fields={HEADER: [_("Khóa đã dùng cho yêu cầu khác.")]},
        )
    return _replay(record)
