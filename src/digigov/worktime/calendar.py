"""Working-time arithmetic in Asia/Ho_Chi_Minh.

A working day is Monday-Friday, less the calendar's days off, plus its
make-up working Saturdays. A working day has sessions (by default
08:00-12:00 and 13:00-17:00: 8 hours). Deadlines are counted in working
seconds over those sessions, so "3 working days" from Monday 10:00 ends on
Thursday 10:00, and a Tết week simply has no sessions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from .models import CalendarDay

MAX_SCAN_DAYS = 3 * 366  # a deadline further than this means broken data, not a long limit


class TimeUnit:
    SAME_DAY = "same_day"
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"


def parse_sessions(spec: str) -> list[tuple[dt.time, dt.time]]:
    """``"08:00-12:00,13:00-17:00"`` -> ordered, non-overlapping (start, end) pairs."""
    sessions = []
    for part in spec.split(","):
        bounds = part.split("-")
        if len(bounds) != 2:
            raise ValueError(f"Working session {part!r} is not of the form HH:MM-HH:MM.")
        try:
            start, end = (dt.time.fromisoformat(x.strip()) for x in bounds)
        except ValueError as exc:
            raise ValueError(f"Working session {part!r} is not of the form HH:MM-HH:MM.") from exc
        if end <= start:
            raise ValueError(f"Working session {part!r} ends before it starts.")
        sessions.append((start, end))
    sessions.sort()
    for (_, end), (start, _) in zip(sessions, sessions[1:], strict=False):
        if start < end:
            raise ValueError("Working sessions overlap.")
    return sessions


@dataclass
class WorkCalendar:
    days_off: frozenset[dt.date]
    working_saturdays: frozenset[dt.date]
    sessions: list[tuple[dt.time, dt.time]]
    tz: ZoneInfo

    @classmethod
    def load(cls) -> WorkCalendar:
        """Read the calendar table afresh (it is small, and may change at any time)."""
        off, work = set(), set()
        for date, kind in CalendarDay.objects.values_list("date", "kind"):
            (work if kind == CalendarDay.Kind.MAKEUP_WORKING_DAY else off).add(date)
        return cls(
            days_off=frozenset(off),
            working_saturdays=frozenset(work),
            sessions=parse_sessions(settings.WORKDAY_SESSIONS),
            tz=ZoneInfo(settings.TIME_ZONE),
        )

    @property
    def seconds_per_day(self) -> int:
        return sum(
            (dt.datetime.combine(dt.date.min, e) - dt.datetime.combine(dt.date.min, s)).seconds
            for s, e in self.sessions
        )

    # -- days ---------------------------------------------------------------
    def is_working_day(self, day: dt.date) -> bool:
        if day in self.working_saturdays:
            return True
        return day.weekday() < 5 and day not in self.days_off

    def next_working_day(self, day: dt.date, *, include: bool = False) -> dt.date:
        day = day if include else day + dt.timedelta(days=1)
        for _ in range(MAX_SCAN_DAYS):
            if self.is_working_day(day):
                return day
            day += dt.timedelta(days=1)
        raise ValueError("No working day within three years: check the holiday calendar.")

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    # -- instants -------------------------------------------------------------
    def _local(self, moment: dt.datetime) -> dt.datetime:
        if timezone.is_naive(moment):
            raise ValueError("Working-time arithmetic needs aware datetimes.")
        return moment.astimezone(self.tz)

    def _at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.tz)

    def end_of_working_day(self, day: dt.date) -> dt.datetime:
        return self._at(day, self.sessions[-1][1])

    def add_working_seconds(self, start: dt.datetime, seconds: float) -> dt.datetime:
        """The instant ``seconds`` of working time after ``start``."""
        if seconds < 0:
            raise ValueError("Cannot add negative working time.")
        moment = self._local(start)
        if seconds == 0:
            # Nothing to add: a deadline at 17:00 must not drift to the next morning.
            return moment
        day = moment.date()
        remaining = float(seconds)
        for _ in range(MAX_SCAN_DAYS):
            if self.is_working_day(day):
                for s, e in self.sessions:
                    seg_start = max(self._at(day, s), moment)
                    seg_end = self._at(day, e)
                    if seg_end <= seg_start:
                        continue
                    available = (seg_end - seg_start).total_seconds()
                    if remaining <= available:
                        return seg_start + dt.timedelta(seconds=remaining)
                    remaining -= available
            day += dt.timedelta(days=1)
        raise ValueError("Deadline beyond three years: check the holiday calendar.")

    def working_seconds_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Working time between two instants (0 if ``end`` is not after ``start``)."""
        start, end = self._local(start), self._local(end)
        if end <= start:
            return 0.0
        total = 0.0
        day = start.date()
        while day <= end.date():
            if self.is_working_day(day):
                for s, e in self.sessions:
                    seg_start = max(self._at(day, s), start)
                    seg_end = min(self._at(day, e), end)
                    if seg_end > seg_start:
                        total += (seg_end - seg_start).total_seconds()
            day += dt.timedelta(days=1)
        return total

    def clock_start(self, received_at: dt.datetime, cutoff: dt.time | None = None) -> dt.datetime:
        """When the clock starts for a dossier received at ``received_at``.

        Received after the procedure's intraday cut-off (strictly after: a dossier
        received at 15:00:00 with a 15:00 cut-off still counts that day), or on a
        day off, it starts at the first working instant of the next working day.
        """
        local = self._local(received_at)
        day = local.date()
        if not self.is_working_day(day) or (cutoff is not None and local.time() > cutoff):
            return self._at(self.next_working_day(day), self.sessions[0][0])
        return local

    def due(
        self,
        received_at: dt.datetime,
        amount: Decimal | int | float,
        unit: str,
        cutoff: dt.time | None = None,
    ) -> dt.datetime:
        """The appointment instant for a time limit of ``amount`` ``unit``."""
        start = self.clock_start(received_at, cutoff)
        if unit == TimeUnit.SAME_DAY:
            day = start.date()
            if start >= self.end_of_working_day(day):
                day = self.next_working_day(day)
            return self.end_of_working_day(day)
        if unit == TimeUnit.WORKING_HOURS:
            return self.add_working_seconds(start, float(amount) * 3600)
        if unit == TimeUnit.WORKING_DAYS:
            return self.add_working_seconds(start, float(amount) * self.seconds_per_day)
        if unit == TimeUnit.CALENDAR_DAYS:
            # Civil Code art. 148: a period ending on a day off ends on the next working day.
            last = start.date() + dt.timedelta(days=int(amount))
            return self.end_of_working_day(self.next_working_day(last, include=True))
        raise ValueError(f"Unknown time-limit unit: {unit!r}")

    def extend(
        self, due: dt.datetime, paused_from: dt.datetime, paused_to: dt.datetime
    ) -> dt.datetime:
        """Push a deadline back by the working time the clock was stopped."""
        return self.add_working_seconds(due, self.working_seconds_between(paused_from, paused_to))
