"""Reporting periods (Decree 09/2019/ND-CP on the reporting regime of state agencies).

A reporting month runs from the 15th of the previous month to the 14th: March
2026 is 15/02/2026 .. 14/03/2026. Quarters, halves and years are unions of
reporting months and end on the 14th as well: Q1 2026 = 15/12/2025 ..
14/03/2026, year 2026 = 15/12/2025 .. 14/12/2026. Any other date range is a
``range`` period. Days are Vietnam calendar days; instants are Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from digigov.core.errors import InvalidInput

KINDS = ("month", "quarter", "half", "year", "range")
CUTOFF_DAY = 14  # the last day of a reporting month
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_RANGE_DAYS = 5 * 366


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _month_start(year: int, month: int) -> dt.date:
    """The first day of reporting month ``month`` of ``year``: the 15th of the previous month."""
    if month == 1:
        return dt.date(year - 1, 12, CUTOFF_DAY + 1)
    return dt.date(year, month - 1, CUTOFF_DAY + 1)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, CUTOFF_DAY)


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date
    year: int | None = None
    number: int | None = None

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("Tháng %(month)s/%(year)s") % {"month": self.number, "year": self.year}
        if self.kind == "quarter":
            return _("Quý %(q)s/%(year)s") % {"q": ROMAN[self.number], "year": self.year}
        if self.kind == "half":
            if self.number == 1:
                return _("6 tháng đầu năm %(year)s") % {"year": self.year}
            return _("6 tháng cuối năm %(year)s") % {"year": self.year}
        if self.kind == "year":
            return _("Năm %(year)s") % {"year": self.year}
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    @property
    def slug(self) -> str:
        """A stable identifier: ``2026-m03``, ``2026-q1``, ``2026-h2``, ``2026``,
        ``20260301-20260331``."""
        if self.kind == "month":
            return f"{self.year}-m{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}-q{self.number}"
        if self.kind == "half":
            return f"{self.year}-h{self.number}"
        if self.kind == "year":
            return f"{self.year}"
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"

    def start_at(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time.min, tzinfo=_tz())

    def end_at(self) -> dt.datetime:
        """The first instant after the period (exclusive bound)."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=_tz())

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def as_dict(self) -> dict:
        return {"kind": self.kind, "year": self.year, "number": self.number,
                "start": self.start.isoformat(), "end": self.end.isoformat(),
                "label": self.label}


def _check_year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput(_("Năm không hợp lệ."), fields={"year": [_("Không hợp lệ.")]})
    return year


def _check_number(number, top: int) -> int:
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= top:
        raise InvalidInput(_("Số thứ tự kỳ báo cáo phải từ 1 đến %(top)s.") % {"top": top},
                           fields={"number": [_("Không hợp lệ.")]})
    return number


def month(year: int, month: int) -> Period:
    _check_year(year)
    _check_number(month, 12)
    return Period("month", _month_start(year, month), _month_end(year, month), year, month)


def quarter(year: int, q: int) -> Period:
    _check_year(year)
    _check_number(q, 4)
    return Period("quarter", _month_start(year, 3 * q - 2), _month_end(year, 3 * q), year, q)


def half(year: int, h: int) -> Period:
    _check_year(year)
    _check_number(h, 2)
    return Period("half", _month_start(year, 6 * h - 5), _month_end(year, 6 * h), year, h)


def year(year: int) -> Period:
    _check_year(year)
    return Period("year", _month_start(year, 1), _month_end(year, 12), year, None)


def date_range(start: dt.date, end: dt.date) -> Period:
    errors = {}
    for name, value in (("start", start), ("end", end)):
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            errors[name] = [_("Ngày không hợp lệ.")]
    if not errors and end < start:
        errors["end"] = [_("Ngày kết thúc phải không trước ngày bắt đầu.")]
    if not errors and (end - start).days >= MAX_RANGE_DAYS:
        errors["end"] = [_("Khoảng thời gian dài quá 5 năm.")]
    if not errors and not (start.year >= MIN_YEAR and end.year <= MAX_YEAR):
        errors["start"] = [_("Ngày không hợp lệ.")]
    if errors:
        raise InvalidInput(_("Khoảng thời gian báo cáo không hợp lệ."), fields=errors)
    return Period("range", start, end, None, None)


def parse_period(kind: str, year: int | None = None, number: int | None = None,
                 start: dt.date | None = None, end: dt.date | None = None) -> Period:
    """A period from the parts a form or an API query gives; InvalidInput on bad input."""
    if kind not in KINDS:
        raise InvalidInput(_("Loại kỳ báo cáo không hợp lệ."),
                           fields={"kind": [_("Chọn tháng, quý, 6 tháng, năm hoặc khoảng ngày.")]})
    if kind == "range":
        if start is None or end is None:
            raise InvalidInput(_("Hãy nhập ngày bắt đầu và ngày kết thúc."),
                               fields={k: [_("Bắt buộc.")] for k, v in
                                       (("start", start), ("end", end)) if v is None})
        return date_range(start, end)
    if year is None:
        raise InvalidInput(_("Hãy chọn năm."), fields={"year": [_("Bắt buộc.")]})
    if kind == "year":
        return globals()["year"](year)
    if number is None:
        raise InvalidInput(_("Hãy chọn kỳ báo cáo."), fields={"number": [_("Bắt buộc.")]})
    return {"month": month, "quarter": quarter, "half": half}[kind](year, number)


def reporting_month_of(day: dt.date) -> tuple[int, int]:
    """(year, month) of the reporting month that contains ``day``."""
    if day.day <= CUTOFF_DAY:
        return day.year, day.month
    if day.month == 12:
        return day.year + 1, 1
    return day.year, day.month + 1


def month_bucket(day: dt.date) -> dt.date:
    """The first day (a 15th) of the reporting month that contains ``day``."""
    y, m = reporting_month_of(day)
    return _month_start(y, m)


def current(kind: str, today: dt.date | None = None) -> Period:
    """The period of ``kind`` that contains ``today`` (default: today in Vietnam)."""
    today = today or timezone.localdate()
    y, m = reporting_month_of(today)
    if kind == "month":
        return month(y, m)
    if kind == "quarter":
        return quarter(y, (m - 1) // 3 + 1)
    if kind == "half":
        return half(y, (m - 1) // 6 + 1)
    if kind == "year":
        return year(y)
    if kind == "range":
        return date_range(today, today)
    raise InvalidInput(_("Loại kỳ báo cáo không hợp lệ."), fields={"kind": [_("Không hợp lệ.")]})


def _shift(period: Period, steps: int) -> Period:
    """The period ``steps`` periods before (negative: after) ``period``."""
    if period.kind == "range":
        length = dt.timedelta(days=period.days)
        return date_range(period.start - steps * length, period.end - steps * length)
    if period.kind == "year":
        return year(period.year - steps)
    per_year = {"month": 12, "quarter": 4, "half": 2}[period.kind]
    index = period.year * per_year + (period.number - 1) - steps
    return parse_period(period.kind, index // per_year, index % per_year + 1)


def previous_periods(period: Period, count: int) -> list[Period]:
    """``count`` consecutive periods of the same kind, oldest first, ending with ``period``."""
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 120:
        raise InvalidInput(_("Số kỳ phải từ 1 đến 120."), fields={"count": [_("Không hợp lệ.")]})
    return [_shift(period, steps) for steps in range(count - 1, -1, -1)]


def reporting_months(period: Period) -> tuple[list[dt.date], list[dt.date]]:
    """Split a period into whole reporting months and single days.

    Returns (first days of the whole reporting months inside the period,
    remaining days): the rollup reads month rows for the former and day rows
    for the latter.
    """
    months, days = [], []
    day = period.start
    while day <= period.end:
        bucket = month_bucket(day)
        y, m = reporting_month_of(day)
        last = _month_end(y, m)
        if day == bucket and last <= period.end:
            months.append(bucket)
            day = last + dt.timedelta(days=1)
        else:
            days.append(day)
            day += dt.timedelta(days=1)
    return months, days
