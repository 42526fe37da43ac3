"""HTTP plumbing of the GovStack adapter.

Authentication (the /api/v1 bearer tokens or a Django session), the
``Information-Mediator-Client`` header, JSON bodies, query parameters, and the
spec's ``systemError`` body for every refusal.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from digigov.accounts.tokens import TokenRefused, token_for_key
from digigov.core.errors import DomainError, InvalidInput, InvalidTransition, NotAllowed, NotFound

IM_HEADER = "Information-Mediator-Client"
TRACE_HEADER = "X-Trace-Id"
log = logging.getLogger("digigov.govstack")

# INSTANCE/CLASS/MEMBER/SUBSYSTEM: four non-empty parts without spaces.
_IM_CLIENT_RE = re.compile(r"^[^/\s]+/[^/\s]+/[^/\s]+/[^/\s]+$")
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ApiError(Exception):
    """A refusal rendered as the spec's ``systemError``."""

    def __init__(self, status: int, code: str, message, *, fields: dict | None = None,
                 headers: dict | None = None):
        super().__init__(str(message))
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.headers = headers or {}


# The GovStack contract knows 400 for bad input (no 422), so field errors map there.
_DOMAIN_STATUS = ((InvalidInput, 400), (NotAllowed, 403), (NotFound, 404), (InvalidTransition, 409))


def from_domain_error(exc: DomainError) -> ApiError:
    status = next((s for cls, s in _DOMAIN_STATUS if isinstance(exc, cls)), exc.status)
    return ApiError(status, exc.code, exc.message, fields=exc.fields)


@dataclass
class Call:
    """One API call: the request, who makes it, and the mediator client it came through."""

    request: HttpRequest
    user: object
    client: str
    trace_id: str
    extra_headers: dict = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user.is_authenticated)

    def require_user(self) -> None:
        if not self.user.is_authenticated:
            raise ApiError(
                401, "unauthenticated",
                _("Hãy đăng nhập hoặc gửi khóa API trong tiêu đề Authorization: Bearer <khóa>."),
                headers={"WWW-Authenticate": 'Bearer realm="digigov"'},
            )


def error_response(status: int, code: str, message, trace_id: str, *,
                   fields: dict | None = None) -> JsonResponse:
    text = str(message)
    body = {"traceId": trace_id, "code": code, "message": text, "localizedMessage": text,
            "status": status}
    if fields:
        body["fields"] = {key: [str(m) for m in msgs] for key, msgs in fields.items()}
    return JsonResponse(body, status=status)


def _im_client(request: HttpRequest) -> str:
    value = request.headers.get(IM_HEADER)
    if value is None:
        return ""
    value = value.strip()
    if not _IM_CLIENT_RE.match(value):
        raise ApiError(
            400, "invalid_information_mediator_client",
            _("Tiêu đề %(header)s phải có dạng INSTANCE/CLASS/MEMBER/SUBSYSTEM "
              "(bốn phần khác rỗng, phân cách bằng dấu /).") % {"header": IM_HEADER},
            fields={IM_HEADER: [_("Không đúng định dạng.")]},
        )
    return value


def _token_user(request: HttpRequest, header: str):
    scheme, _sep, key = header.partition(" ")
    key = key.strip()
    refusal = ApiError(
        401, "unauthenticated", _("Khóa API không hợp lệ hoặc đã bị thu hồi."),
        headers={"WWW-Authenticate": 'Bearer realm="digigov", error="invalid_token"'})
    if scheme.lower() != "bearer" or not key:
        raise refusal
    try:
        return token_for_key(key).user
    except TokenRefused:
        raise refusal from None


def _activate_language(request: HttpRequest, user, *, by_token: bool) -> None:
    """A machine client asks for a language with Accept-Language; a token speaks its account's.

    Browser sessions keep the site's rule (Vietnamese unless the person chose
    otherwise), applied by the language middleware before the view runs.
    """
    if user.is_authenticated and not by_token:
        return
    if request.headers.get("Accept-Language"):
        translation.activate(translation.get_language_from_request(request))
    elif by_token and user.language:
        translation.activate(user.language)


def _authenticate(request: HttpRequest):
    """A bearer token wins; otherwise the session, with CSRF checked on writes."""
    header = request.headers.get("Authorization", "").strip()
    if header:
        user = _token_user(request, header)
        _activate_language(request, user, by_token=True)
        return user
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        user = AnonymousUser()
        _activate_language(request, user, by_token=False)
        return user
    if request.method not in _SAFE_METHODS:
        refusal = CsrfViewMiddleware(lambda r: HttpResponse()).process_view(
            request, None, (), {})
        if refusal is not None:
            raise ApiError(403, "csrf_failed",
                           _("Yêu cầu từ phiên đăng nhập thiếu mã chống giả mạo (CSRF)."))
    return user


def operations(**handlers: Callable) -> Callable:
    """One URL, one handler per HTTP method (``get=...``, ``post=...``).

    Every handler receives a ``Call`` and the URL's keyword arguments and
    returns a JSON-serialisable value (sent with 200) or an ``HttpResponse``.
    """
    allowed = ", ".join(sorted(m.upper() for m in handlers))

    @csrf_exempt
    def view(request: HttpRequest, **kwargs) -> HttpResponse:
        trace_id = uuid.uuid4().hex
        client = ""
        try:
            handler = handlers.get(request.method.lower())
            if handler is None:
                raise ApiError(405, "method_not_allowed",
                               _("Phương thức %(method)s không được hỗ trợ tại địa chỉ này.")
                               % {"method": request.method}, headers={"Allow": allowed})
            client = _im_client(request)
            call = Call(request=request, user=_authenticate(request), client=client,
                        trace_id=trace_id)
            result = handler(call, **kwargs)
            response = result if isinstance(result, HttpResponseBase) else JsonResponse(
                result, safe=False, json_dumps_params={"ensure_ascii": False})
            for name, value in call.extra_headers.items():
                response[name] = value
        except ApiError as exc:
            response = error_response(exc.status, exc.code, exc.message, trace_id,
                                      fields=exc.fields)
            for name, value in exc.headers.items():
                response[name] = value
        except DomainError as exc:
            err = from_domain_error(exc)
            response = error_response(err.status, err.code, err.message, trace_id,
                                      fields=err.fields)
        if client:
            response[IM_HEADER] = client
        response[TRACE_HEADER] = trace_id
        response["Content-Language"] = translation.get_language()
        log.info("govstack %s %s -> %s client=%s trace=%s", request.method, request.path,
                 response.status_code, client or "-", trace_id)
        return response

    return view


def not_found_view(request: HttpRequest, **kwargs) -> HttpResponse:
    """Unknown paths under the API answer in the API's error shape, not an HTML page."""
    trace_id = uuid.uuid4().hex
    response = error_response(404, "not_found",
                              _("Không có điểm truy cập API nào tại địa chỉ này."), trace_id)
    response[TRACE_HEADER] = trace_id
    return response


# -- request parsing --------------------------------------------------------------
def json_body(request: HttpRequest) -> dict:
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "invalid_json",
                       _("Nội dung yêu cầu không phải JSON hợp lệ.")) from None
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", _("Nội dung yêu cầu phải là một đối tượng JSON."))
    return data


def _bad_param(name: str, message) -> ApiError:
    return ApiError(400, "invalid_parameter", message, fields={name: [message]})


def int_param(request: HttpRequest, name: str, default: int, *, minimum: int,
              maximum: int) -> int:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _bad_param(name, _("“%(name)s” phải là số nguyên.") % {"name": name}) from None
    if not minimum <= value <= maximum:
        raise _bad_param(name, _("“%(name)s” phải nằm trong khoảng %(min)s–%(max)s.")
                         % {"name": name, "min": minimum, "max": maximum})
    return value


def date_param(request: HttpRequest, name: str) -> dt.date | None:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise _bad_param(name, _("“%(name)s” phải là ngày dạng YYYY-MM-DD.")
                         % {"name": name}) from None


def uuid_param(request: HttpRequest, name: str) -> uuid.UUID | None:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return None
    parsed = parse_uuid(raw)
    if parsed is None:
        raise _bad_param(name, _("“%(name)s” phải là một UUID.") % {"name": name})
    return parsed


def choice_param(request: HttpRequest, name: str, choices) -> str | None:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return None
    if raw not in choices:
        raise _bad_param(name, _("“%(name)s” phải là một trong: %(choices)s.")
                         % {"name": name, "choices": ", ".join(choices)})
    return raw


def parse_uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (ValueError, AttributeError, TypeError):
        return None
