"""Working-time arithmetic against the real calendar loaded by the data migration."""

import datetime as dt
from decimal import Decimal

import pytest

from digigov.worktime.calendar import TimeUnit, WorkCalendar, parse_sessions
from digigov.worktime.loader import read_rows
from digigov.worktime.models import CalendarDay
from tests.conftest import vn

D = dt.date
HOUR = 3600


@pytest.fixture
def cal(db):
    return WorkCalendar.load()


# -- days ----------
def test_the_migration_loads_every_row_of_the_shipped_calendar(db):
    assert CalendarDay.objects.count() == len(read_rows())


def test_plain_weekend_is_off_and_weekdays_work(cal):
    assert [cal.is_working_day(D(2026, 3, d)) for d in range(2, 9)] == [
        True, True, True, True, True, False, False]


def test_tet_2026_week_is_off_from_saturday_14_to_sunday_22_february(cal):
    assert cal.is_working_day(D(2026, 2, 13))
    assert not any(cal.is_working_day(D(2026, 2, d)) for d in range(14, 23))
    assert cal.is_working_day(D(2026, 2, 23))


@pytest.mark.parametrize("day", [D(2025, 4, 26), D(2026, 1, 10), D(2026, 8, 22)])
def test_make_up_saturdays_are_working_days(cal, day):
    assert day.weekday() == 5
    assert cal.is_working_day(day)


@pytest.mark.parametrize("day", [D(2025, 5, 2), D(2026, 1, 2), D(2026, 8, 31)])
def test_bridge_days_are_off(cal, day):
    assert day.weekday() < 5
    assert not cal.is_working_day(day)
    assert CalendarDay.objects.get(date=day).kind == CalendarDay.Kind.BRIDGE


def test_compensatory_day_for_hung_kings_day_on_a_sunday(cal):
    assert CalendarDay.objects.get(date=D(2026, 4, 26)).kind == CalendarDay.Kind.HOLIDAY
    assert CalendarDay.objects.get(date=D(2026, 4, 27)).kind == CalendarDay.Kind.COMPENSATORY
    assert not cal.is_working_day(D(2026, 4, 27))


def test_culture_day_2026_is_off_but_loaded_as_unverified(cal):
    day = CalendarDay.objects.get(date=D(2026, 11, 24))
    assert day.verified is False
    assert not cal.is_working_day(D(2026, 11, 24))
    assert CalendarDay.objects.get(date=D(2026, 2, 17)).verified is True


def test_next_working_day_skips_tet(cal):
    assert cal.next_working_day(D(2026, 2, 13)) == D(2026, 2, 23)
    assert cal.next_working_day(D(2026, 2, 13), include=True) == D(2026, 2, 13)
    assert cal.add_working_days(D(2026, 2, 12), 2) == D(2026, 2, 23)


def test_calendar_changes_are_seen_at_once(db):
    assert WorkCalendar.load().is_working_day(D(2026, 3, 3))
    CalendarDay.objects.create(date=D(2026, 3, 3), kind=CalendarDay.Kind.HOLIDAY, name="Nghỉ")
    assert not WorkCalendar.load().is_working_day(D(2026, 3, 3))


# -- clock start and cut-off ----------
def test_received_after_cutoff_counts_from_next_working_day(cal):
    cutoff = dt.time(15, 0)
    assert cal.clock_start(vn(2026, 3, 2, 15, 30), cutoff) == vn(2026, 3, 3, 8, 0)
    assert cal.due(vn(2026, 3, 2, 15, 30), 1, TimeUnit.WORKING_DAYS, cutoff) == vn(2026, 3, 3, 17)


def test_received_before_or_exactly_at_cutoff_counts_the_same_day(cal):
    cutoff = dt.time(15, 0)
    assert cal.clock_start(vn(2026, 3, 2, 14, 59), cutoff) == vn(2026, 3, 2, 14, 59)
    assert cal.clock_start(vn(2026, 3, 2, 15, 0), cutoff) == vn(2026, 3, 2, 15, 0)
    assert cal.clock_start(vn(2026, 3, 2, 15, 0, 1), cutoff) == vn(2026, 3, 3, 8, 0)


def test_cutoff_on_the_friday_before_tet_moves_to_after_tet(cal):
    start = cal.clock_start(vn(2026, 2, 13, 16, 0), dt.time(15, 0))
    assert start == vn(2026, 2, 23, 8, 0)


def test_received_on_a_day_off_starts_next_working_morning(cal):
    assert cal.clock_start(vn(2026, 3, 7, 10, 0)) == vn(2026, 3, 9, 8, 0)
    assert cal.clock_start(vn(2026, 1, 2, 10, 0)) == vn(2026, 1, 5, 8, 0)
    # A make-up Saturday is a normal working day.
    assert cal.clock_start(vn(2026, 1, 10, 10, 0)) == vn(2026, 1, 10, 10, 0)


def test_utc_input_is_read_in_vietnam_time(cal):
    received = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)  # 10:00 in Hanoi
    assert cal.due(received, 3, TimeUnit.WORKING_DAYS) == vn(2026, 3, 5, 10, 0)


# -- each unit ----------
def test_same_day(cal):
    assert cal.due(vn(2026, 3, 2, 10), 0, TimeUnit.SAME_DAY) == vn(2026, 3, 2, 17)
    assert cal.due(vn(2026, 3, 2, 17, 30), 0, TimeUnit.SAME_DAY) == vn(2026, 3, 3, 17)
    assert cal.due(vn(2026, 3, 2, 16), 0, TimeUnit.SAME_DAY, dt.time(15)) == vn(2026, 3, 3, 17)
    assert cal.due(vn(2026, 2, 13, 17, 5), 0, TimeUnit.SAME_DAY) == vn(2026, 2, 23, 17)


def test_working_days(cal):
    assert cal.due(vn(2026, 3, 2, 10), 3, TimeUnit.WORKING_DAYS) == vn(2026, 3, 5, 10)
    assert cal.due(vn(2026, 3, 5, 10), 3, TimeUnit.WORKING_DAYS) == vn(2026, 3, 10, 10)
    assert cal.due(vn(2026, 3, 2, 10), Decimal("0.5"), TimeUnit.WORKING_DAYS) == vn(2026, 3, 2, 15)
    # Started at 08:00, a whole working day ends at 17:00 the same day, not next morning.
    assert cal.due(vn(2026, 3, 2, 8), 1, TimeUnit.WORKING_DAYS) == vn(2026, 3, 2, 17)


def test_working_hours_skip_lunch_and_night(cal):
    assert cal.due(vn(2026, 3, 2, 10), 4, TimeUnit.WORKING_HOURS) == vn(2026, 3, 2, 15)
    assert cal.due(vn(2026, 3, 2, 16), 2, TimeUnit.WORKING_HOURS) == vn(2026, 3, 3, 9)
    assert cal.due(vn(2026, 3, 6, 16), 2, TimeUnit.WORKING_HOURS) == vn(2026, 3, 9, 9)


def test_working_days_spanning_tet(cal):
    # Thu 12 Feb 10:00: 6 h that day, 8 h on Fri 13, then nothing until Mon 23.
    assert cal.due(vn(2026, 2, 12, 10), 3, TimeUnit.WORKING_DAYS) == vn(2026, 2, 24, 10)


def test_working_days_use_make_up_saturday_and_skip_bridge_day(cal):
    assert cal.due(vn(2026, 1, 9, 10), 1, TimeUnit.WORKING_DAYS) == vn(2026, 1, 10, 10)
    assert cal.due(vn(2025, 12, 31, 10), 2, TimeUnit.WORKING_DAYS) == vn(2026, 1, 6, 10)
    assert cal.due(vn(2025, 4, 29, 10), 1, TimeUnit.WORKING_DAYS) == vn(2025, 5, 5, 10)
    assert cal.due(vn(2025, 4, 25, 10), 1, TimeUnit.WORKING_DAYS) == vn(2025, 4, 26, 10)


def test_working_days_skip_compensatory_day_and_unverified_culture_day(cal):
    assert cal.due(vn(2026, 4, 24, 10), 1, TimeUnit.WORKING_DAYS) == vn(2026, 4, 28, 10)
    assert cal.due(vn(2026, 11, 23, 10), 1, TimeUnit.WORKING_DAYS) == vn(2026, 11, 25, 10)


def test_working_days_across_national_day_2026(cal):
    # Fri 28 Aug, then Sat 29 - Wed 2 Sep off (31 Aug is the bridge day).
    assert cal.due(vn(2026, 8, 28, 10), 1, TimeUnit.WORKING_DAYS) == vn(2026, 9, 3, 10)


def test_calendar_days(cal):
    assert cal.due(vn(2026, 3, 2, 10), 10, TimeUnit.CALENDAR_DAYS) == vn(2026, 3, 12, 17)


@pytest.mark.parametrize(("received", "expected"), [
    # Ends on a Saturday: the next Monday (Civil Code art. 148).
    (vn(2026, 3, 4, 10), vn(2026, 3, 16, 17)),
    # Ends on the first day of Tết: the Monday after Tết.
    (vn(2026, 2, 6, 10), vn(2026, 2, 23, 17)),
    # Ends on the 31 Aug bridge day: 1 and 2 Sep are holidays too.
    (vn(2026, 8, 21, 10), vn(2026, 9, 3, 17)),
    # Ends on a make-up Saturday, a working day: it ends that Saturday.
    (vn(2026, 8, 12, 10), vn(2026, 8, 22, 17)),
])
def test_calendar_days_ending_on_a_day_off_end_on_the_next_working_day(cal, received, expected):
    assert cal.due(received, 10, TimeUnit.CALENDAR_DAYS) == expected


def test_unknown_unit_is_refused(cal):
    with pytest.raises(ValueError, match="Unknown time-limit unit"):
        cal.due(vn(2026, 3, 2, 10), 1, "fortnights")


# -- working seconds ----------
@pytest.mark.parametrize(("start", "end", "hours"), [
    (vn(2026, 3, 2, 11), vn(2026, 3, 2, 14), 2),        # lunch is not working time
    (vn(2026, 3, 2, 16), vn(2026, 3, 3, 9), 2),         # nor the night
    (vn(2026, 3, 6, 16), vn(2026, 3, 9, 9), 2),         # nor the weekend
    (vn(2026, 2, 13, 16), vn(2026, 2, 23, 9), 2),       # nor Tết
    (vn(2026, 3, 2, 6), vn(2026, 3, 2, 20), 8),         # a whole day is 8 hours
    (vn(2026, 3, 2, 12, 15), vn(2026, 3, 2, 12, 45), 0),
    (vn(2026, 2, 17, 9), vn(2026, 2, 17, 16), 0),        # a holiday has no sessions
    (vn(2026, 1, 9, 16), vn(2026, 1, 12, 9), 10),       # Fri 1 h + make-up Sat 8 h + Mon 1 h
    (vn(2026, 3, 3, 9), vn(2026, 3, 2, 9), 0),          # end before start
])
def test_working_seconds_between(cal, start, end, hours):
    assert cal.working_seconds_between(start, end) == hours * HOUR


def test_adding_zero_working_time_keeps_the_instant(cal):
    assert cal.add_working_seconds(vn(2026, 3, 5, 17), 0) == vn(2026, 3, 5, 17)
    assert cal.add_working_seconds(vn(2026, 3, 5, 12), 0) == vn(2026, 3, 5, 12)


def test_adding_negative_working_time_is_refused(cal):
    with pytest.raises(ValueError):
        cal.add_working_seconds(vn(2026, 3, 5, 10), -1)


def test_add_then_measure_is_consistent(cal):
    start = vn(2026, 2, 10, 9, 17)
    for hours in (1, 5, 8, 13, 40):
        assert cal.working_seconds_between(start, cal.add_working_seconds(start, hours * HOUR)) \
            == hours * HOUR


# -- pause and extend ----------
def test_extend_pushes_a_deadline_by_the_paused_working_time(cal):
    due = vn(2026, 3, 5, 17)
    assert cal.extend(due, vn(2026, 3, 2, 10), vn(2026, 3, 3, 10)) == vn(2026, 3, 6, 17)
    # Paused Friday 15:00 to Monday 10:00 = 2 h + 2 h.
    assert cal.extend(due, vn(2026, 3, 6, 15), vn(2026, 3, 9, 10)) == vn(2026, 3, 6, 12)


def test_extend_by_a_pause_outside_working_time_changes_nothing(cal):
    due = vn(2026, 3, 5, 17)
    assert cal.extend(due, vn(2026, 3, 6, 17, 30), vn(2026, 3, 9, 7, 0)) == due


def test_extend_across_tet(cal):
    due = vn(2026, 2, 13, 16)
    assert cal.extend(due, vn(2026, 2, 13, 10), vn(2026, 2, 13, 11)) == vn(2026, 2, 13, 17)
    assert cal.extend(due, vn(2026, 2, 13, 10), vn(2026, 2, 13, 12)) == vn(2026, 2, 23, 9)


# -- refusals and configuration ----------
def test_naive_datetimes_are_refused(cal):
    naive = dt.datetime(2026, 3, 2, 10)
    for call in (
        lambda: cal.due(naive, 1, TimeUnit.WORKING_DAYS),
        lambda: cal.clock_start(naive),
        lambda: cal.add_working_seconds(naive, HOUR),
        lambda: cal.working_seconds_between(naive, vn(2026, 3, 3, 10)),
        lambda: cal.working_seconds_between(vn(2026, 3, 1, 10), naive),
        lambda: cal.extend(vn(2026, 3, 5, 10), naive, vn(2026, 3, 3, 10)),
    ):
        with pytest.raises(ValueError, match="aware"):
            call()


def test_configured_sessions_are_used(db, settings):
    settings.WORKDAY_SESSIONS = "13:30-17:30, 07:30-11:30"
    cal = WorkCalendar.load()
    assert cal.sessions == [(dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17, 30))]
    assert cal.seconds_per_day == 8 * HOUR
    assert cal.due(vn(2026, 3, 2, 7, 30), 1, TimeUnit.WORKING_DAYS) == vn(2026, 3, 2, 17, 30)
    assert cal.due(vn(2026, 3, 2, 10), 4, TimeUnit.WORKING_HOURS) == vn(2026, 3, 2, 16)
    assert cal.due(vn(2026, 3, 2, 10), 0, TimeUnit.SAME_DAY) == vn(2026, 3, 2, 17, 30)
    assert cal.clock_start(vn(2026, 3, 6, 16), dt.time(15)) == vn(2026, 3, 9, 7, 30)


def test_a_half_day_schedule_makes_a_working_day_four_hours(db, settings):
    settings.WORKDAY_SESSIONS = "08:00-12:00"
    cal = WorkCalendar.load()
    assert cal.seconds_per_day == 4 * HOUR
    assert cal.due(vn(2026, 3, 2, 9), 1, TimeUnit.WORKING_DAYS) == vn(2026, 3, 3, 9)
    assert cal.due(vn(2026, 3, 2, 9), 8, TimeUnit.WORKING_HOURS) == vn(2026, 3, 4, 9)
    assert cal.working_seconds_between(vn(2026, 3, 2, 7), vn(2026, 3, 2, 18)) == 4 * HOUR


@pytest.mark.parametrize(("spec", "message"), [
    ("08:00-12:00,11:00-17:00", "overlap"),
    ("12:00-08:00", "ends before"),
    ("08:00", "HH:MM-HH:MM"),
    ("8h-12h", "HH:MM-HH:MM"),
])
def test_bad_session_specs_are_refused(spec, message):
    with pytest.raises(ValueError, match=message):
        parse_sessions(spec)
