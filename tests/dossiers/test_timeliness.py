"""The on-time rule of Decision 766 (DOMAIN.md section 5)."""

import datetime as dt

import pytest

from digigov.catalog.models import TimeLimitUnit
from digigov.dossiers import services
from digigov.dossiers.models import Status
from digigov.dossiers.timeliness import dossier_end, judge_at, judge_dossier, judge_step
from tests.conftest import vn

from .support import DUE, RECEIVED

HOUR = 3600


def test_end_is_processed_then_returned_then_closed(received):
    d = received
    d.closed_at, d.returned_at, d.processed_at = vn(2026, 3, 6), vn(2026, 3, 5), vn(2026, 3, 4)
    assert dossier_end(d) == vn(2026, 3, 4)
    d.processed_at = None
    assert dossier_end(d) == vn(2026, 3, 5)
    d.returned_at = None
    assert dossier_end(d) == vn(2026, 3, 6)
    d.closed_at = None
    assert dossier_end(d) is None


def test_a_dossier_is_judged_at_processing_not_at_return(received):
    received.processed_at, received.returned_at = vn(2026, 3, 5, 9), vn(2026, 3, 9, 9)
    assert judge_dossier(received) == "on_time"


@pytest.mark.parametrize(("end", "expected"), [
    (vn(2026, 3, 4, 16, 59), "early"),
    (vn(2026, 3, 5, 8, 0), "on_time"),
    (DUE, "on_time"),
    (DUE + dt.timedelta(seconds=1), "late"),
    (vn(2026, 3, 6, 9, 0), "late"),
])
def test_early_on_time_late_boundaries(received, end, expected):
    assert judge_dossier(received, end=end) == expected


def test_supplement_time_is_subtracted(procedure, received, counter_a, citizen):
    services.request_supplement(official=counter_a, dossier=received, reason="Thiếu",
                                items=["Giấy chứng sinh"], now=vn(2026, 3, 3, 10))
    component = procedure.version_on().components.get(order=2)
    from tests.conftest import pdf

    services.supply_supplement(actor=citizen, dossier=received,
                               files={str(component.pk): pdf()}, now=vn(2026, 3, 5, 10))
    received.refresh_from_db()
    # Two working days waited: Thursday 10:00 became Monday 10:00.
    assert received.due_at == vn(2026, 3, 9, 10)
    assert judge_dossier(received, end=vn(2026, 3, 9, 10)) == "on_time"
    assert judge_dossier(received, end=vn(2026, 3, 9, 10, 1)) == "late"


def test_more_than_one_supplement_request_is_late(received):
    received.supplement_count = 2
    assert judge_dossier(received, end=vn(2026, 3, 3, 9)) == "late"
    received.supplement_count = 1
    assert judge_dossier(received, end=vn(2026, 3, 3, 9)) == "early"


def test_an_apology_does_not_make_a_late_dossier_on_time(at_specialist, specialist_a, leader_a):
    services.apologise(official=specialist_a, dossier=at_specialist, reason="Cần xác minh",
                       new_due_at=vn(2026, 3, 12, 17), now=vn(2026, 3, 5, 9))
    d = services.hand_over(official=specialist_a, dossier=at_specialist, to_user=leader_a,
                           now=vn(2026, 3, 6, 9))
    d = services.complete(official=leader_a, dossier=d, result_summary="Cấp",
                          now=vn(2026, 3, 6, 10))
    assert d.apology_due_at == vn(2026, 3, 12, 17) and d.timeliness == "late"


# -- open dossiers and report periods ----------
def test_open_dossier_is_judged_at_the_period_end(received):
    assert judge_at(received, vn(2026, 3, 4, 17)) == "early"
    assert judge_at(received, vn(2026, 3, 5, 10)) == "on_time"
    assert judge_at(received, vn(2026, 3, 14, 23, 59)) == "late"


def test_dossier_waiting_for_the_applicant_at_period_end_is_not_late(received, counter_a):
    services.request_supplement(official=counter_a, dossier=received, reason="Thiếu",
                                items=["Giấy chứng sinh"], now=vn(2026, 3, 3, 9))
    received.refresh_from_db()
    assert received.status == Status.SUPPLEMENT_REQUESTED
    assert judge_at(received, vn(2026, 3, 14, 23, 59)) == "early"


def test_dossier_ended_before_the_period_end_is_judged_at_its_end(processed):
    assert judge_at(processed, vn(2026, 3, 14, 23, 59)) == "early"


def test_dossier_ended_after_the_period_end_is_judged_as_open_then(processed):
    processed.processed_at = vn(2026, 3, 16, 9)
    assert judge_at(processed, vn(2026, 3, 14, 23, 59)) == "late"
    assert judge_at(processed, vn(2026, 3, 4, 23, 59)) == "early"


def test_dossiers_without_an_agency_time_limit_are_not_judged(new_dossier, received, citizen,
                                                             counter_a):
    assert judge_at(new_dossier, vn(2026, 3, 14)) == ""  # not received yet
    assert judge_at(received, vn(2026, 3, 2, 9, 59)) == ""  # received after the period
    services.withdraw(actor=citizen, dossier=received, reason="Không cần", now=vn(2026, 3, 9))
    received.refresh_from_db()
    assert judge_at(received, vn(2026, 3, 14)) == ""
    # Before the withdrawal it was an open, late dossier.
    assert judge_at(received, vn(2026, 3, 6, 17)) == "late"


def test_refused_dossier_is_not_judged(new_dossier, counter_a):
    services.refuse(officer=counter_a, dossier=new_dossier, reason="Sai thẩm quyền")
    new_dossier.refresh_from_db()
    assert judge_at(new_dossier, vn(2026, 3, 14)) == ""


def test_judge_at_refuses_a_naive_period_end(received):
    with pytest.raises(ValueError):
        judge_at(received, dt.datetime(2026, 3, 14))


# -- without an appointment date ----------
@pytest.mark.parametrize(("end", "expected"), [
    (vn(2026, 3, 4, 17), "early"),
    (DUE, "on_time"),
    (vn(2026, 3, 5, 10, 1), "late"),
])
def test_without_appointment_net_duration_is_compared_with_the_statutory_maximum(
        received, end, expected):
    received.due_at = None
    assert judge_dossier(received, end=end) == expected


def test_without_appointment_supplement_time_is_subtracted(received):
    received.due_at = None
    received.paused_seconds = 8 * HOUR
    assert judge_dossier(received, end=vn(2026, 3, 6, 10)) == "on_time"
    assert judge_dossier(received, end=vn(2026, 3, 6, 10, 1)) == "late"


def test_without_appointment_a_running_pause_is_subtracted(received):
    received.due_at = None
    received.clock_paused_at = vn(2026, 3, 3, 10)
    assert judge_dossier(received, end=vn(2026, 3, 20, 10)) == "early"


def test_without_appointment_in_calendar_days(procedure, received):
    procedure.versions.update(time_limit_amount=10, time_limit_unit=TimeLimitUnit.CALENDAR_DAYS)
    received.refresh_from_db()
    received.due_at = None
    # 2 March + 10 days = Thursday 12 March.
    assert judge_dossier(received, end=vn(2026, 3, 12, 17)) == "on_time"
    assert judge_dossier(received, end=vn(2026, 3, 13, 8)) == "late"


def test_never_received_has_no_judgement(new_dossier):
    assert judge_dossier(new_dossier, end=vn(2026, 3, 20)) == ""


# -- control-sheet rows ----------
def test_step_boundaries(received):
    step = received.step_records.get()
    assert step.due_at == vn(2026, 3, 2, 15)
    assert judge_step(step, at=vn(2026, 3, 2, 15)) == "on_time"
    assert judge_step(step, at=vn(2026, 3, 2, 15, 0, 1)) == "late"
    step.due_at = vn(2026, 3, 3, 9)
    assert judge_step(step, at=RECEIVED) == "early"
