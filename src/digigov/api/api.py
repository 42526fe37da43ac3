"""The JSON API at /api/v1/: routers, error mapping and the OpenAPI document."""

from __future__ import annotations

import logging
from functools import wraps

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest
from django.urls import URLPattern, re_path
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from digigov.core.errors import DomainError

from .auth import CsrfFailed, InvalidToken
from .openapi import multipart_component_files, problem_content_types
from .problems import PROBLEM_CONTENT_TYPE, code_for_status, problem_response
from .routers.catalog import router as catalog_router
from .routers.documents import router as documents_router
from .routers.dossier_actions import router as dossier_actions_router
from .routers.dossiers import router as dossiers_router
from .routers.exchange import router as exchange_router
from .routers.opendata import router as opendata_router
from .routers.payments import router as payments_router
from .routers.problem_types import router as problem_types_router
from .routers.reports import router as reports_router
from .routers.store import router as store_router
from .routers.verification import router as verification_router
from .validation import field_errors

logger = logging.getLogger(__name__)

REALM = 'Bearer realm="digigov API"'

DESCRIPTION = """
API của digigov: danh mục thủ tục hành chính, cơ quan, và hồ sơ một cửa.

* Xác thực: `Authorization: Bearer <khóa API>` (cấp bằng lệnh `digigov apitoken issue`),
  hoặc phiên đăng nhập của giao diện web kèm tiêu đề `X-CSRFToken` cho các yêu cầu ghi.
  Danh mục thủ tục và cơ quan không cần xác thực.
* Lỗi: `application/problem+json` theo RFC 9457, có `errors` theo từng trường.
* Phân trang: `limit` (tối đa 200) và `offset`; kết quả có `count`, `next`, `previous`.
* Các yêu cầu POST nhận tiêu đề `Idempotency-Key` để gửi lại an toàn.
* Thời điểm theo ISO 8601, múi giờ Asia/Ho_Chi_Minh (+07:00).
"""


class Utf8JSONRenderer(JSONRenderer):
    # Vietnamese text as plain UTF-8 (not escaped), like the stored idempotent replies.
    json_dumps_params = {"ensure_ascii": False}


class DigigovAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        return multipart_component_files(problem_content_types(schema))

    def _get_urls(self):
        patterns = [
            URLPattern(p.pattern, _problem_for_405(p.callback), p.default_args, p.name)
            if isinstance(p, URLPattern) else p
            for p in super()._get_urls()
        ]
        # Unknown paths under /api/v1/ answer with a problem too, not Django's HTML 404.
        return [*patterns, re_path(r"^.*$", _unknown_path)]


def _problem_for_405(view):
    """django-ninja answers a wrong method with plain text; answer with a problem instead."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type") != PROBLEM_CONTENT_TYPE:
            return problem_response(
                request, status=405, code="method_not_allowed",
                detail=_("Phương thức %(method)s không dùng được ở địa chỉ này.")
                % {"method": request.method},
                headers={"Allow": response.get("Allow", "")})
        return response

    return wrapped


api = DigigovAPI(title="digigov API", version="1.0.0", urls_namespace="api-v1",
                 description=DESCRIPTION, renderer=Utf8JSONRenderer())
api.add_router("/", catalog_router)
api.add_router("/", dossiers_router)
api.add_router("/", dossier_actions_router)
api.add_router("/", problem_types_router)
api.add_router("/", verification_router)
api.add_router("/", payments_router)
api.add_router("/", store_router)
api.add_router("/", documents_router)
api.add_router("/", exchange_router)
api.add_router("/", reports_router)
api.add_router("/", opendata_router)


def _unknown_path(request: HttpRequest, *args, **kwargs):
    return problem_response(request, status=404, code="not_found",
                            detail=_("Không có địa chỉ API này."))


@api.exception_handler(DomainError)
def _domain_error(request, exc: DomainError):
    return problem_response(request, status=exc.status, code=exc.code, title=str(exc.title),
                            detail=str(exc.message), errors=exc.fields)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    return problem_response(request, status=422, code="invalid_input",
                            detail=_("Dữ liệu gửi lên không hợp lệ."),
                            errors=field_errors(exc.errors))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return problem_response(
        request, status=401, code="unauthenticated",
        detail=_("Hãy gửi khóa API trong tiêu đề Authorization: Bearer <khóa>, "
                 "hoặc đăng nhập."),
        headers={"WWW-Authenticate": REALM},
    )


@api.exception_handler(InvalidToken)
def _invalid_token(request, exc: InvalidToken):
    return problem_response(request, status=401, code="unauthenticated", detail=exc.detail,
                            headers={"WWW-Authenticate": f'{REALM}, error="invalid_token"'})


@api.exception_handler(CsrfFailed)
def _csrf_failed(request, exc):
    return problem_response(
        request, status=403, code="csrf_failed",
        detail=_("Thiếu hoặc sai mã CSRF: gửi giá trị cookie csrftoken trong tiêu đề "
                 "X-CSRFToken."),
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem_response(request, status=404, code="not_found",
                            detail=_("Không tìm thấy tài nguyên."))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    detail = str(exc)
    if exc.status_code == 400:
        # django-ninja's own message is English ("Cannot parse request body").
        detail = _("Không đọc được nội dung yêu cầu; hãy kiểm tra cú pháp JSON hoặc multipart.")
    return problem_response(request, status=exc.status_code,
                            code=code_for_status(exc.status_code), detail=detail)


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    return problem_response(request, status=413, code="payload_too_large",
                            detail=_("Dữ liệu gửi lên vượt quá dung lượng cho phép."))


@api.exception_handler(SuspiciousOperation)
def _suspicious(request, exc):
    return problem_response(request, status=400, code="invalid_request",
                            detail=_("Yêu cầu không hợp lệ."))


@api.exception_handler(Exception)
def _unexpected(request, exc):
    logger.exception("API error on %s %s", request.method, request.path)
    return problem_response(request, status=500, code="internal_error",
                            detail=_("Đã có lỗi không mong muốn; yêu cầu không được thực hiện."))
