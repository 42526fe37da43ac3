"""``GET /data/statistics``: open to anyone, as the spec says; counts only, no personal data."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import statistics
from ..http import ApiError, Call, choice_param, date_param


def get_statistics(call: Call) -> list[dict]:
    request = call.request
    end = date_param(request, "endDate") or timezone.localdate()
    start = date_param(request, "startDate") or end.replace(month=1, day=1)
    if start > end:
        message = _("startDate phải không sau endDate.")
        raise ApiError(400, "invalid_parameter", message, fields={"startDate": [message]})
    query = statistics.Query(
        start=start, end=end,
        registration_name=(request.GET.get("registrationName") or "").strip(),
        operator=(request.GET.get("operator") or "").strip(),
        role=choice_param(request, "role", statistics.ROLES) or "",
        timeframe=choice_param(request, "timeframe", statistics.TIMEFRAMES) or "",
    )
    if statistics.count_periods(query) > statistics.MAX_PERIODS:
        message = _("Khoảng thời gian quá dài cho mức chia này (tối đa %(n)s kỳ): "
                    "hãy thu hẹp khoảng ngày hoặc chọn timeframe lớn hơn.") % {
                        "n": statistics.MAX_PERIODS}
        raise ApiError(400, "invalid_parameter", message, fields={"timeframe": [message]})
    return statistics.compute(query)
