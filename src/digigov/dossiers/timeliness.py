"""The on-time rule (DOMAIN.md section 5, Decision 766).

A dossier is on time iff its end is not after its appointment date, where
end = first of processed > returned > stopped/refused, and the appointment
date already excludes the applicant's supplement time (the clock was pushed
back when the supplement came). More than one supplement request makes it
late. A dossier still open is judged at ``end`` (the period end). Without an
appointment date, its net working duration is compared with the statutory
maximum. Early = finished on a working day before the appointment day.

An apology letter's new date does not make a late dossier on time: the
apology admits the delay.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from digigov.worktime.calendar import TimeUnit, WorkCalendar

from .models import Dossier, StepRecord, Timeliness


def _compare(end: dt.datetime, due: dt.datetime) -> str:
    if end > due:
        return Timeliness.LATE
    if timezone.localdate(end) < timezone.localdate(due):
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def dossier_end(dossier: Dossier) -> dt.datetime | None:
    return dossier.processed_at or dossier.returned_at or dossier.closed_at


def judge_dossier(dossier: Dossier, *, end: dt.datetime | None = None,
                  calendar: WorkCalendar | None = None) -> str:
    end = end or dossier_end(dossier) or timezone.now()
    if dossier.supplement_count > 1:
        return Timeliness.LATE
    if dossier.due_at is not None:
        due = dossier.due_at
        if dossier.clock_paused_at and dossier.clock_paused_at < end:
            # Still waiting for the applicant: the time since the request is theirs.
            calendar = calendar or WorkCalendar.load()
            due = calendar.extend(due, dossier.clock_paused_at, end)
        return _compare(end, due)
    if dossier.received_at is None:
        return ""
    calendar = calendar or WorkCalendar.load()
    version = dossier.procedure_version
    net = calendar.working_seconds_between(dossier.received_at, end) - dossier.paused_seconds
    if version.time_limit_unit == TimeUnit.CALENDAR_DAYS:
        allowed = (end - dossier.received_at).total_seconds() <= float(
            version.time_limit_amount) * 86400
        return Timeliness.ON_TIME if allowed else Timeliness.LATE
    per_unit = {TimeUnit.WORKING_HOURS: 3600, TimeUnit.WORKING_DAYS: calendar.seconds_per_day,
                TimeUnit.SAME_DAY: calendar.seconds_per_day}[version.time_limit_unit]
    amount = float(version.time_limit_amount) or 1
    return Timeliness.ON_TIME if net <= amount * per_unit else Timeliness.LATE


def judge_step(step: StepRecord, *, at: dt.datetime | None = None) -> str:
    return _compare(step.finished_at or at or timezone.now(), step.due_at)
