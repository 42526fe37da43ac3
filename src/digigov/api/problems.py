"""RFC 9457 problem details: the one error shape of the API.

Every error response is ``application/problem+json`` with ``type`` (a URI
under ``/api/v1/problems/<code>``), ``title``, ``status``, ``detail``,
``instance`` and the extension members ``code`` and, for input problems,
``errors`` (field name -> list of messages).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PROBLEM_CONTENT_TYPE = "application/problem+json"


@dataclass(frozen=True)
class ProblemType:
    code: str
    status: int
    title: Promise
    description: Promise


PROBLEM_TYPES: dict[str, ProblemType] = {
    p.code: p
    for p in (
        ProblemType("invalid_request", 400, gettext_lazy("Yêu cầu không hợp lệ"),
                    gettext_lazy("Yêu cầu sai cú pháp hoặc thiếu thông tin cần thiết.")),
        ProblemType("unauthenticated", 401, gettext_lazy("Chưa xác thực"),
                    gettext_lazy("Thiếu khóa API hoặc phiên đăng nhập, hoặc khóa API không "
                                 "hợp lệ, đã bị thu hồi.")),
        ProblemType("forbidden", 403, gettext_lazy("Không có quyền"),
                    gettext_lazy("Người dùng đã xác thực nhưng không giữ vai trò cần thiết "
                                 "cho thao tác này.")),
        ProblemType("csrf_failed", 403, gettext_lazy("Kiểm tra CSRF không thành công"),
                    gettext_lazy("Yêu cầu dùng phiên đăng nhập phải gửi kèm mã CSRF trong "
                                 "tiêu đề X-CSRFToken.")),
        ProblemType("not_found", 404, gettext_lazy("Không tìm thấy"),
                    gettext_lazy("Tài nguyên không tồn tại hoặc người dùng không được xem.")),
        ProblemType("method_not_allowed", 405, gettext_lazy("Phương thức không được hỗ trợ"),
                    gettext_lazy("Địa chỉ này không nhận phương thức HTTP đã dùng.")),
        ProblemType("invalid_transition", 409, gettext_lazy("Không thể chuyển trạng thái"),
                    gettext_lazy("Trạng thái hiện tại của hồ sơ không cho phép thao tác này.")),
        ProblemType("payload_too_large", 413, gettext_lazy("Dữ liệu gửi lên quá lớn"),
                    gettext_lazy("Tổng dung lượng yêu cầu vượt quá giới hạn cho phép.")),
        ProblemType("invalid_input", 422, gettext_lazy("Dữ liệu không hợp lệ"),
                    gettext_lazy("Một hoặc nhiều trường không hợp lệ; xem thành viên "
                                 "“errors”.")),
        ProblemType("idempotency_key_reused", 422,
                    gettext_lazy("Khóa Idempotency-Key đã dùng cho yêu cầu khác"),
                    gettext_lazy("Cùng một khóa Idempotency-Key chỉ được dùng lại với đúng "
                                 "yêu cầu ban đầu.")),
        ProblemType("internal_error", 500, gettext_lazy("Lỗi hệ thống"),
                    gettext_lazy("Đã có lỗi không mong muốn; yêu cầu không được thực hiện. "
                                 "Hãy thử lại sau hoặc liên hệ quản trị hệ thống.")),
    )
}

_CODE_FOR_STATUS = {p.status: p.code for p in reversed(PROBLEM_TYPES.values())}


def code_for_status(status: int) -> str:
    return _CODE_FOR_STATUS.get(status, "invalid_request" if status < 500 else "internal_error")


def type_uri(code: str) -> str:
    return reverse("api-v1:problem_type", kwargs={"code": code})


def problem_body(request: HttpRequest, *, status: int, code: str, detail: str,
                 title: str | None = None, errors: dict | None = None) -> dict:
    known = PROBLEM_TYPES.get(code)
    body = {
        "type": type_uri(code),
        "title": str(title or (known.title if known else _("Lỗi"))),
        "status": status,
        "detail": str(detail),
        "instance": request.get_full_path(),
        "code": code,
    }
    if errors:
        body["errors"] = {
            field: [str(m) for m in (messages if isinstance(messages, list | tuple)
                                     else [messages])]
            for field, messages in errors.items()
        }
    return body


def problem_response(request: HttpRequest, *, status: int, code: str, detail: str,
                     title: str | None = None, errors: dict | None = None,
                     headers: dict | None = None) -> HttpResponse:
    body = problem_body(request, status=status, code=code, detail=detail, title=title,
                        errors=errors)
    response = HttpResponse(json.dumps(body, ensure_ascii=False, cls=DjangoJSONEncoder),
                            status=status, content_type=PROBLEM_CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response
