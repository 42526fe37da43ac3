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

from digigov.worktime.calendar import WorkCalendar

from .models import Dossier, Status, StepRecord, Timeliness


def _compare(end: dt.datetime, due: dt.datetime) -> str:
    if end > due:
        return Timeliness.LATE
    if timezone.localdate(end) < timezone.localdate(due):
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def dossier_end(dossier: Dossier) -> dt.datetime | None:
    """First of processed > returned > stopped/refused (closed)."""
    return dossier.processed_at or dossier.returned_at or dossier.closed_at


def _paused_until(dossier: Dossier, end: dt.datetime, calendar: WorkCalendar) -> float:
    """Working seconds of supplement time up to ``end``, including a pause still running."""
    paused = dossier.paused_seconds
    if dossier.clock_paused_at and dossier.clock_paused_at < end:
        paused += calendar.working_seconds_between(dossier.clock_paused_at, end)
    return paused


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
    # No appointment date: the statutory maximum counted from receipt, pushed by the
    # applicant's supplement time, is the appointment the dossier should have had.
    calendar = calendar or WorkCalendar.load()
    version = dossier.procedure_version
    due = calendar.due(dossier.received_at, version.time_limit_amount,
                       version.time_limit_unit, version.cutoff_time)
    due = calendar.add_working_seconds(due, _paused_until(dossier, end, calendar))
    return _compare(end, due)


def judge_at(dossier: Dossier, period_end: dt.datetime, *,
             calendar: WorkCalendar | None = None) -> str:
    """The dossier's timeliness as a report for a period ending at ``period_end`` sees it.

    A dossier that ended by then is judged at its end; one still open then is
    judged at ``period_end`` (late if its appointment has passed, else on time
    or early so far). Dossiers not received by then, withdrawn by the
    applicant or refused at reception are not judged (""), since no agency
    time limit ran for them.
    """
    if timezone.is_naive(period_end):
        raise ValueError("judge_at needs an aware datetime.")
    if dossier.received_at is None or dossier.received_at > period_end:
        return ""
    end = dossier_end(dossier)
    if dossier.status == Status.WITHDRAWN and end is not None and end <= period_end:
        return ""
    if end is None or end > period_end:
        end = period_end
    return judge_dossier(dossier, end=end, calendar=calendar)


def judge_step(step: StepRecord, *, at: dt.datetime | None = None) -> str:
    return _compare(step.finished_at or at or timezone.now(), step.due_at)
