"""Parameter parsing shared by the list endpoints."""

from django.utils.translation import gettext as _

from ..http import ApiError, Call, int_param

MAX_RESULTS = 500
DEFAULT_RESULTS = 50


def page(call: Call) -> tuple[int, int]:
    first = int_param(call.request, "firstResult", 0, minimum=0, maximum=10**9)
    size = int_param(call.request, "maxResult", DEFAULT_RESULTS, minimum=1, maximum=MAX_RESULTS)
    return first, size


def ordering(call: Call, columns: dict[str, str], default: tuple[str, ...]) -> tuple[str, ...]:
    """``sortBy`` and ``sortOrder`` come together (as the spec says) or not at all."""
    sort_by = call.request.GET.get("sortBy") or ""
    sort_order = call.request.GET.get("sortOrder") or ""
    if not sort_by and not sort_order:
        return default
    if not sort_by or not sort_order:
        message = _("sortBy và sortOrder phải được gửi cùng nhau.")
        raise ApiError(400, "invalid_parameter", message,
                       fields={"sortBy" if not sort_by else "sortOrder": [message]})
    if sort_by not in columns:
        message = _("sortBy phải là một trong: %(choices)s.") % {"choices": ", ".join(columns)}
        raise ApiError(400, "invalid_parameter", message, fields={"sortBy": [message]})
    if sort_order not in ("asc", "desc"):
        message = _("sortOrder phải là asc hoặc desc.")
        raise ApiError(400, "invalid_parameter", message, fields={"sortOrder": [message]})
    column = columns[sort_by]
    return (f"-{column}" if sort_order == "desc" else column, "pk")
