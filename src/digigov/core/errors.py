"""Domain errors. Services raise them; pages show them; the API maps them to RFC 9457."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A request that the rules refuse. Nothing has been changed when it is raised."""

    status = 400
    title = _("Yêu cầu không hợp lệ")
    code = "invalid_request"

    def __init__(self, message, *, code: str | None = None, fields: dict | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code or self.code
        self.fields = fields or {}


class InvalidInput(DomainError):
    status = 422
    title = _("Dữ liệu không hợp lệ")
    code = "invalid_input"


class NotAllowed(DomainError):
    status = 403
    title = _("Không có quyền")
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    title = _("Không tìm thấy")
    code = "not_found"


class InvalidTransition(DomainError):
    status = 409
    title = _("Không thể chuyển trạng thái")
    code = "invalid_transition"
