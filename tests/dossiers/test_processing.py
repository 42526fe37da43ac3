"""hand_over, financial obligations, complete, return_result, withdraw, stop, apologise, rate."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from digigov.core.errors import InvalidInput, InvalidTransition, NotAllowed
from digigov.dossiers import services
from digigov.dossiers.models import Status
from tests.conftest import vn

from .support import DUE, events, refused, reload


# -- hand_over ----------
def test_hand_over_closes_a_control_sheet_row_and_opens_the_next(received, counter_a,
                                                                   specialist_a):
    d = reload(services.hand_over(official=counter_a, dossier=received, to_user=specialist_a,
                                  note="Đủ hồ sơ", now=vn(2026, 3, 2, 11, 0)))
    assert (d.status, d.current_step.order, d.assignee) == (Status.PROCESSING, 2, specialist_a)
    first, second = d.step_records.all()
    assert (first.finished_at, first.handed_to, first.note, first.timeliness) == (
        vn(2026, 3, 2, 11, 0), specialist_a, "Đủ hồ sơ", "on_time")
    assert (second.giver, second.receiver, second.started_at) == (
        counter_a, specialist_a, vn(2026, 3, 2, 11, 0))
    assert second.due_at == vn(2026, 3, 3, 16, 0)  # 12 working hours
    assert events(d)[-1] == ("hand_over", "2", "4")


def test_hand_over_to_the_unit_lets_anyone_with_the_role_act(received, counter_a, specialist_a,
                                                             leader_a):
    d = services.hand_over(official=counter_a, dossier=received, now=vn(2026, 3, 2, 11))
    assert d.assignee is None
    d = services.hand_over(official=specialist_a, dossier=d, to_user=leader_a,
                           now=vn(2026, 3, 2, 14))
    assert d.current_step.order == 3


def test_late_step_is_marked_late(received, counter_a, specialist_a):
    services.hand_over(official=counter_a, dossier=received, to_user=specialist_a,
                       now=vn(2026, 3, 2, 15, 1))
    assert received.step_records.first().timeliness == "late"


@pytest.mark.parametrize("target", ["counter_a2", "specialist_b", "citizen"])
def test_hand_over_to_someone_without_the_next_steps_role_is_refused(request, received,
                                                                     counter_a, target):
    error = refused(InvalidInput, services.hand_over, official=counter_a, dossier=received,
                    to_user=request.getfixturevalue(target))
    assert "to_user" in error.fields


@pytest.mark.parametrize("who", ["specialist_a", "counter_b", "leader_b", "citizen"])
def test_hand_over_by_someone_not_at_the_step_is_refused(request, received, specialist_a, who):
    refused(NotAllowed, services.hand_over, official=request.getfixturevalue(who),
            dossier=received, to_user=specialist_a)


def test_a_colleague_with_the_steps_role_or_a_leader_may_act(received, counter_a2, leader_a,
                                                              specialist_a):
    d = services.hand_over(official=counter_a2, dossier=received, to_user=specialist_a,
                           now=vn(2026, 3, 2, 11))
    assert d.step_records.first().handed_to == specialist_a
    d = services.hand_over(official=leader_a, dossier=d, to_user=leader_a, now=vn(2026, 3, 2, 14))
    assert d.current_step.order == 3


def test_hand_over_from_the_last_step_is_refused(at_leader, leader_a, specialist_a):
    refused(InvalidTransition, services.hand_over, official=leader_a, dossier=at_leader,
            to_user=specialist_a)


def test_hand_over_in_a_wrong_status_is_refused(new_dossier, counter_a, specialist_a):
    refused(InvalidTransition, services.hand_over, official=counter_a, dossier=new_dossier,
            to_user=specialist_a)


# -- financial obligations ----------
def test_financial_obligation_requested_and_fulfilled(at_specialist, specialist_a):
    d = services.request_financial_obligation(official=specialist_a, dossier=at_specialist,
                                              amount=150_000, reason="Lệ phí trước bạ",
                                              now=vn(2026, 3, 2, 14))
    assert reload(d).status == Status.FINANCIAL_OBLIGATION
    obligation = d.obligations.get()
    assert (obligation.amount, obligation.fulfilled_at) == (150_000, None)
    d = services.fulfil_financial_obligation(official=specialist_a, dossier=d,
                                             reference=" BL-0001 ", now=vn(2026, 3, 2, 16))
    assert reload(d).status == Status.PROCESSING
    obligation.refresh_from_db()
    assert (obligation.fulfilled_at, obligation.fulfilled_reference) == (
        vn(2026, 3, 2, 16), "BL-0001")
    assert events(d)[-2:] == [("request_financial_obligation", "4", "6"),
                              ("fulfil_financial_obligation", "6", "4")]


@pytest.mark.parametrize("amount", [0, -5, "150000", True, 1.5, 10**16, None])
def test_bad_amount_is_refused(at_specialist, specialist_a, amount):
    error = refused(InvalidInput, services.request_financial_obligation, official=specialist_a,
                    dossier=at_specialist, amount=amount, reason="Lệ phí")
    assert "amount" in error.fields


def test_obligation_without_reason_is_refused(at_specialist, specialist_a):
    refused(InvalidInput, services.request_financial_obligation, official=specialist_a,
            dossier=at_specialist, amount=1000, reason=" ")


def test_obligation_by_someone_not_at_the_step_is_refused(at_specialist, counter_a):
    refused(NotAllowed, services.request_financial_obligation, official=counter_a,
            dossier=at_specialist, amount=1000, reason="Lệ phí")


def test_obligation_in_a_wrong_status_is_refused(new_dossier, counter_a):
    refused(InvalidTransition, services.request_financial_obligation, official=counter_a,
            dossier=new_dossier, amount=1000, reason="Lệ phí")


@pytest.fixture
def owing(at_specialist, specialist_a):
    return services.request_financial_obligation(official=specialist_a, dossier=at_specialist,
                                                 amount=1000, reason="Lệ phí",
                                                 now=vn(2026, 3, 2, 14))


@pytest.mark.parametrize("reference", ["", "  ", "X" * 101])
def test_fulfil_without_a_proper_reference_is_refused(owing, specialist_a, reference):
    error = refused(InvalidInput, services.fulfil_financial_obligation, official=specialist_a,
                    dossier=owing, reference=reference)
    assert "reference" in error.fields


def test_fulfil_by_someone_else_is_refused(owing, counter_b):
    refused(NotAllowed, services.fulfil_financial_obligation, official=counter_b, dossier=owing,
            reference="BL-1")


def test_fulfil_when_nothing_is_owed_is_refused(at_specialist, specialist_a):
    refused(InvalidTransition, services.fulfil_financial_obligation, official=specialist_a,
            dossier=at_specialist, reference="BL-1")


# -- complete and return_result ----------
def test_complete(at_leader, leader_a):
    d = reload(services.complete(official=leader_a, dossier=at_leader,
                                 result_summary=" Cấp Giấy khai sinh ", now=vn(2026, 3, 4, 9)))
    assert (d.status, d.processed_at, d.result_summary) == (
        Status.PROCESSED, vn(2026, 3, 4, 9), "Cấp Giấy khai sinh")
    assert d.timeliness == "early" and d.current_agency == d.agency
    assert d.step_records.filter(finished_at__isnull=True).count() == 0
    assert events(d)[-1] == ("complete", "4", "9")


def test_complete_before_the_last_step_is_refused(at_specialist, specialist_a):
    refused(InvalidTransition, services.complete, official=specialist_a, dossier=at_specialist,
            result_summary="Xong")


def test_complete_without_result_is_refused(at_leader, leader_a):
    error = refused(InvalidInput, services.complete, official=leader_a, dossier=at_leader,
                    result_summary=" ")
    assert "result_summary" in error.fields


@pytest.mark.parametrize("who", ["counter_a", "specialist_a", "leader_b"])
def test_complete_by_someone_not_at_the_step_is_refused(request, at_leader, who):
    refused(NotAllowed, services.complete, official=request.getfixturevalue(who),
            dossier=at_leader, result_summary="Xong")


def test_complete_in_a_wrong_status_is_refused(new_dossier, counter_a):
    refused(InvalidTransition, services.complete, official=counter_a, dossier=new_dossier,
            result_summary="Xong")


def test_return_result(processed, counter_a):
    d = reload(services.return_result(officer=counter_a, dossier=processed,
                                      now=vn(2026, 3, 4, 10)))
    assert (d.status, d.returned_at, d.closed_at) == (
        Status.RETURNED, vn(2026, 3, 4, 10), vn(2026, 3, 4, 10))
    assert events(d)[-1] == ("return_result", "9", "10")


@pytest.mark.parametrize("who", ["specialist_a", "counter_b", "citizen"])
def test_return_by_the_wrong_person_is_refused(request, processed, who):
    refused(NotAllowed, services.return_result, officer=request.getfixturevalue(who),
            dossier=processed)


def test_return_before_processing_ends_is_refused(at_leader, counter_a):
    refused(InvalidTransition, services.return_result, officer=counter_a, dossier=at_leader)


# -- withdraw and stop ----------
def test_applicant_withdraws_during_processing(at_specialist, citizen):
    d = reload(services.withdraw(actor=citizen, dossier=at_specialist, reason="Không cần nữa",
                                 now=vn(2026, 3, 3, 9)))
    assert (d.status, d.closing_reason, d.closed_at) == (
        Status.WITHDRAWN, "Không cần nữa", vn(2026, 3, 3, 9))
    last = d.step_records.last()
    assert (last.finished_at, last.note) == (vn(2026, 3, 3, 9), "Rút hồ sơ")
    assert events(d)[-1] == ("withdraw", "4", "7")


def test_counter_officer_withdraws_a_new_dossier_on_request(new_dossier, counter_a):
    d = services.withdraw(actor=counter_a, dossier=new_dossier, reason="Công dân đề nghị")
    assert reload(d).status == Status.WITHDRAWN


@pytest.mark.parametrize("who", ["other_citizen", "counter_b", "specialist_a"])
def test_withdraw_by_someone_else_is_refused(request, received, who):
    refused(NotAllowed, services.withdraw, actor=request.getfixturevalue(who), dossier=received,
            reason="x")


def test_withdraw_by_anonymous_is_refused(received):
    refused(NotAllowed, services.withdraw, actor=AnonymousUser(), dossier=received, reason="x")


def test_withdraw_without_reason_is_refused(received, citizen):
    refused(InvalidInput, services.withdraw, actor=citizen, dossier=received, reason="")


def test_withdraw_after_the_result_is_refused(processed, citizen):
    refused(InvalidTransition, services.withdraw, actor=citizen, dossier=processed, reason="x")


def test_leader_stops_processing(at_specialist, leader_a):
    d = reload(services.stop_processing(official=leader_a, dossier=at_specialist,
                                        reason="Không đủ điều kiện", now=vn(2026, 3, 3, 9)))
    assert (d.status, d.closed_at, d.timeliness) == (Status.STOPPED, vn(2026, 3, 3, 9), "early")
    assert d.step_records.last().note == "Dừng xử lý"
    assert events(d)[-1] == ("stop", "4", "8")


def test_stop_while_waiting_for_a_supplement_excludes_the_wait(received, counter_a, leader_a):
    services.request_supplement(official=counter_a, dossier=received, reason="Thiếu",
                                items=["Giấy chứng sinh"], now=vn(2026, 3, 3, 9))
    # Stopped a week later, past the original Thursday 10:00: the wait is the applicant's,
    # so the agency has used one working day of three.
    d = services.stop_processing(official=leader_a, dossier=received, reason="Quá hạn bổ sung",
                                 now=vn(2026, 3, 10, 9))
    assert reload(d).timeliness == "early"


@pytest.mark.parametrize("who", ["specialist_a", "counter_a", "leader_b"])
def test_stop_by_someone_other_than_a_leader_there_is_refused(request, at_specialist, who):
    refused(NotAllowed, services.stop_processing, official=request.getfixturevalue(who),
            dossier=at_specialist, reason="x")


def test_stop_without_reason_is_refused(at_specialist, leader_a):
    refused(InvalidInput, services.stop_processing, official=leader_a, dossier=at_specialist,
            reason=" ")


def test_stop_a_new_dossier_is_refused(new_dossier, leader_a):
    refused(InvalidTransition, services.stop_processing, official=leader_a, dossier=new_dossier,
            reason="x")


# -- apologise ----------
NEW_DUE = vn(2026, 3, 9, 10)


def test_apologise_before_the_deadline(at_specialist, specialist_a):
    d = reload(services.apologise(official=specialist_a, dossier=at_specialist,
                                  reason="Cần xác minh", new_due_at=NEW_DUE,
                                  now=vn(2026, 3, 5, 9)))
    assert d.status == Status.PROCESSING
    assert (d.due_at, d.apology_due_at, d.effective_due_at) == (DUE, NEW_DUE, NEW_DUE)
    apology = d.apologies.get()
    assert (apology.previous_due_at, apology.new_due_at, apology.created_by) == (
        DUE, NEW_DUE, specialist_a)
    assert events(d)[-1] == ("apologise", "4", "4")


def test_second_apology_must_move_past_the_first(at_specialist, specialist_a):
    services.apologise(official=specialist_a, dossier=at_specialist, reason="x",
                       new_due_at=NEW_DUE, now=vn(2026, 3, 5, 9))
    refused(InvalidInput, services.apologise, official=specialist_a, dossier=at_specialist,
            reason="x", new_due_at=vn(2026, 3, 6, 10), now=vn(2026, 3, 6, 9))
    d = services.apologise(official=specialist_a, dossier=at_specialist, reason="y",
                           new_due_at=vn(2026, 3, 10, 10), now=vn(2026, 3, 6, 9))
    assert d.apologies.count() == 2


def test_apology_after_the_deadline_is_refused(at_specialist, specialist_a):
    refused(InvalidTransition, services.apologise, official=specialist_a, dossier=at_specialist,
            reason="x", new_due_at=NEW_DUE, now=vn(2026, 3, 5, 10, 1))


@pytest.mark.parametrize("new_due", [DUE, vn(2026, 3, 4, 10), dt.datetime(2026, 3, 9, 10),
                                     dt.date(2026, 3, 9), "2026-03-09"])
def test_apology_with_a_date_not_after_the_current_one_is_refused(at_specialist, specialist_a,
                                                                  new_due):
    error = refused(InvalidInput, services.apologise, official=specialist_a,
                    dossier=at_specialist, reason="x", new_due_at=new_due, now=vn(2026, 3, 4, 9))
    assert "new_due_at" in error.fields


def test_apology_without_reason_is_refused(at_specialist, specialist_a):
    refused(InvalidInput, services.apologise, official=specialist_a, dossier=at_specialist,
            reason="", new_due_at=NEW_DUE, now=vn(2026, 3, 4, 9))


@pytest.mark.parametrize("who", ["citizen", "counter_b"])
def test_apology_by_the_wrong_person_is_refused(request, at_specialist, who):
    refused(NotAllowed, services.apologise, official=request.getfixturevalue(who),
            dossier=at_specialist, reason="x", new_due_at=NEW_DUE, now=vn(2026, 3, 4, 9))


def test_apology_for_a_processed_dossier_is_refused(processed, leader_a):
    refused(InvalidTransition, services.apologise, official=leader_a, dossier=processed,
            reason="x", new_due_at=NEW_DUE, now=vn(2026, 3, 4, 9))


# -- rate ----------
def test_rate_after_the_result(returned, citizen, scores):
    rating = services.rate(applicant=citizen, dossier=returned, scores=scores, comment=" Tốt ")
    assert (rating.total, rating.comment, rating.scores) == (14, "Tốt", scores)
    assert events(returned)[-1] == ("rate", "", "")


def test_rate_once_processed_before_return(processed, citizen, scores):
    assert services.rate(applicant=citizen, dossier=processed, scores=scores).total == 14


def test_rating_twice_is_refused(returned, citizen, scores):
    services.rate(applicant=citizen, dossier=returned, scores=scores)
    refused(InvalidTransition, services.rate, applicant=citizen, dossier=returned, scores=scores)


@pytest.mark.parametrize("who", ["other_citizen", "counter_a"])
def test_rating_by_someone_else_is_refused(request, returned, scores, who):
    refused(NotAllowed, services.rate, applicant=request.getfixturevalue(who), dossier=returned,
            scores=scores)


def test_rating_before_the_result_is_refused(at_leader, citizen, scores):
    refused(InvalidTransition, services.rate, applicant=citizen, dossier=at_leader, scores=scores)


@pytest.mark.parametrize(("change", "field"), [
    ({"attitude": 3}, "attitude"),
    ({"attitude": None}, "attitude"),
    ({"attitude": True}, "attitude"),
    ({"attitude": "2"}, "attitude"),
    ({"speed": 2}, "scores"),
])
def test_bad_scores_are_refused(returned, citizen, scores, change, field):
    scores.update(change)
    error = refused(InvalidInput, services.rate, applicant=citizen, dossier=returned,
                    scores=scores)
    assert field in error.fields


def test_missing_indicator_is_refused(returned, citizen, scores):
    del scores["feedback"]
    error = refused(InvalidInput, services.rate, applicant=citizen, dossier=returned,
                    scores=scores)
    assert list(error.fields) == ["feedback"]


def test_scores_that_are_not_a_mapping_are_refused(returned, citizen):
    refused(InvalidInput, services.rate, applicant=citizen, dossier=returned, scores=[2] * 9)
