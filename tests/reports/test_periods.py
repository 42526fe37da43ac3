"""Reporting periods of Decree 09/2019: months, quarters, halves and years end on the 14th."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from digigov.core.errors import InvalidInput
from digigov.reports import periods

D = dt.date
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(("period", "start", "end"), [
    (periods.month(2026, 3), D(2026, 2, 15), D(2026, 3, 14)),
    (periods.month(2026, 1), D(2025, 12, 15), D(2026, 1, 14)),
    (periods.month(2026, 12), D(2026, 11, 15), D(2026, 12, 14)),
    (periods.quarter(2026, 1), D(2025, 12, 15), D(2026, 3, 14)),
    (periods.quarter(2026, 4), D(2026, 9, 15), D(2026, 12, 14)),
    (periods.half(2026, 1), D(2025, 12, 15), D(2026, 6, 14)),
    (periods.half(2026, 2), D(2026, 6, 15), D(2026, 12, 14)),
    (periods.year(2026), D(2025, 12, 15), D(2026, 12, 14)),
    (periods.date_range(D(2026, 3, 1), D(2026, 3, 31)), D(2026, 3, 1), D(2026, 3, 31)),
])
def test_bounds(period, start, end):
    assert (period.start, period.end) == (start, end)


def test_consecutive_months_tile_the_year():
    months = [periods.month(2026, m) for m in range(1, 13)]
    assert months[0].start == periods.year(2026).start
    assert months[-1].end == periods.year(2026).end
    for before, after in zip(months, months[1:], strict=False):
        assert after.start == before.end + dt.timedelta(days=1)
    assert sum(m.days for m in months) == periods.year(2026).days == 365


def test_instants_are_vietnam_midnights():
    period = periods.month(2026, 3)
    assert period.start_at() == dt.datetime(2026, 2, 15, tzinfo=VN)
    assert period.end_at() == dt.datetime(2026, 3, 15, tzinfo=VN)  # exclusive
    assert period.end_at().utcoffset() == dt.timedelta(hours=7)


def test_labels():
    assert periods.month(2026, 3).label == "Tháng 3/2026"
    assert periods.quarter(2026, 1).label == "Quý I/2026"
    assert periods.quarter(2026, 4).label == "Quý IV/2026"
    assert periods.year(2026).label == "Năm 2026"
    assert periods.half(2026, 1).label == "6 tháng đầu năm 2026"
    assert periods.date_range(D(2026, 3, 1), D(2026, 3, 31)).label == "01/03/2026 – 31/03/2026"


@pytest.mark.parametrize(("today", "kind", "expected"), [
    (D(2026, 3, 14), "month", periods.month(2026, 3)),
    (D(2026, 3, 15), "month", periods.month(2026, 4)),
    (D(2026, 12, 15), "month", periods.month(2027, 1)),
    (D(2026, 12, 14), "year", periods.year(2026)),
    (D(2026, 12, 15), "year", periods.year(2027)),
    (D(2026, 3, 15), "quarter", periods.quarter(2026, 2)),
    (D(2025, 12, 20), "quarter", periods.quarter(2026, 1)),
    (D(2026, 6, 15), "half", periods.half(2026, 2)),
])
def test_current(today, kind, expected):
    assert periods.current(kind, today) == expected


def test_previous_periods_oldest_first():
    assert periods.previous_periods(periods.month(2026, 2), 3) == [
        periods.month(2025, 12), periods.month(2026, 1), periods.month(2026, 2)]
    assert periods.previous_periods(periods.quarter(2026, 1), 2) == [
        periods.quarter(2025, 4), periods.quarter(2026, 1)]
    assert periods.previous_periods(periods.year(2026), 2) == [periods.year(2025),
                                                               periods.year(2026)]
    week = periods.date_range(D(2026, 3, 8), D(2026, 3, 14))
    assert periods.previous_periods(week, 2) == [
        periods.date_range(D(2026, 3, 1), D(2026, 3, 7)), week]


def test_parse_period():
    assert periods.parse_period("month", 2026, 3) == periods.month(2026, 3)
    assert periods.parse_period("year", 2026) == periods.year(2026)
    assert periods.parse_period("range", start=D(2026, 1, 1), end=D(2026, 1, 2)).days == 2


@pytest.mark.parametrize("args", [
    ("week", 2026, 1), ("month", 2026, 13), ("month", 2026, 0), ("month", None, 3),
    ("quarter", 2026, 5), ("half", 2026, 3), ("month", 2026, None), ("year", 1850),
    ("month", True, 1), ("month", "2026", 1),
])
def test_parse_period_refuses(args):
    with pytest.raises(InvalidInput):
        periods.parse_period(*args)


def test_range_refuses_bad_bounds():
    with pytest.raises(InvalidInput):
        periods.date_range(D(2026, 3, 2), D(2026, 3, 1))
    with pytest.raises(InvalidInput):
        periods.parse_period("range", start=D(2026, 3, 2))
    with pytest.raises(InvalidInput):
        periods.date_range(D(2020, 1, 1), D(2026, 1, 1))
    with pytest.raises(InvalidInput):
        periods.date_range(dt.datetime(2026, 1, 1), D(2026, 1, 2))


def test_reporting_months_split():
    assert periods.reporting_months(periods.year(2026))[1] == []
    assert len(periods.reporting_months(periods.year(2026))[0]) == 12
    months, days = periods.reporting_months(periods.date_range(D(2026, 2, 10), D(2026, 4, 16)))
    assert months == [D(2026, 2, 15), D(2026, 3, 15)]
    assert days == [D(2026, 2, d) for d in range(10, 15)] + [D(2026, 4, 15), D(2026, 4, 16)]
    assert periods.month_bucket(D(2026, 3, 14)) == D(2026, 2, 15)
    assert periods.month_bucket(D(2026, 3, 15)) == D(2026, 3, 15)
