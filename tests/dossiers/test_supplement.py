"""request_supplement and supply_supplement: once only, and the clock stops meanwhile."""

import pytest
from django.contrib.auth.models import AnonymousUser

from digigov.core.errors import InvalidInput, InvalidTransition, NotAllowed
from digigov.dossiers import services
from digigov.dossiers.models import Status
from digigov.worktime.calendar import WorkCalendar
from tests.conftest import pdf, vn

from .support import DUE, disguised_files, empty_pdf, events, refused, reload

HOUR = 3600
ITEMS = ["Giấy chứng sinh bản chính"]


def ask(official, dossier, now, **kwargs):
    return services.request_supplement(
        official=official, dossier=dossier, now=now,
        **{"reason": "Giấy chứng sinh bị mờ", "items": ITEMS, **kwargs})


def supply_files(procedure):
    component = procedure.version_on().components.get(order=2)
    return {str(component.pk): pdf("giay-chung-sinh.pdf")}


def test_request_supplement_before_reception(new_dossier, counter_a):
    d = reload(ask(counter_a, new_dossier, vn(2026, 3, 2, 9, 30)))
    assert (d.status, d.supplement_count, d.clock_paused_at) == (
        Status.SUPPLEMENT_REQUESTED, 1, None)
    request = d.supplements.get()
    assert (request.status_before, request.items, request.requested_by) == (
        Status.NEW, ITEMS, counter_a)
    assert events(d)[-1] == ("request_supplement", "1", "5")


def test_supplied_before_reception_goes_back_to_new(procedure, new_dossier, counter_a, citizen):
    ask(counter_a, new_dossier, vn(2026, 3, 2, 9, 30))
    d = services.supply_supplement(actor=citizen, dossier=new_dossier,
                                   files=supply_files(procedure), now=vn(2026, 3, 3, 9))
    assert (d.status, d.due_at, d.paused_seconds) == (Status.NEW, None, 0)
    # The clock starts at reception, after the supplement.
    d = services.receive(officer=counter_a, dossier=d, now=vn(2026, 3, 3, 10))
    assert d.due_at == vn(2026, 3, 6, 10)


def test_clock_stops_at_request_and_restarts_at_supply(procedure, received, counter_a, citizen):
    d = reload(ask(counter_a, received, vn(2026, 3, 2, 11, 0)))
    assert d.clock_paused_at == vn(2026, 3, 2, 11, 0)
    assert d.due_at == DUE  # unchanged while waiting
    step_due = d.step_records.get().due_at
    # Supplied Wednesday 14:00: Mon 11-12, 13-17, Tue 8 h, Wed 8-12, 13-14 = 18 working hours.
    d = reload(services.supply_supplement(actor=citizen, dossier=d, files=supply_files(procedure),
                                          now=vn(2026, 3, 4, 14, 0)))
    assert d.status == Status.RECEIVED and d.clock_paused_at is None
    assert d.paused_seconds == 18 * HOUR
    assert d.due_at == WorkCalendar.load().add_working_seconds(DUE, 18 * HOUR)
    assert d.due_at == vn(2026, 3, 9, 12, 0)
    step = d.step_records.get()
    assert step.paused_seconds == 18 * HOUR
    assert step.due_at == WorkCalendar.load().add_working_seconds(step_due, 18 * HOUR)
    assert d.supplements.get().supplied_at == vn(2026, 3, 4, 14, 0)
    supplied = d.files.get(is_supplement=True)
    assert (supplied.original_name, supplied.uploaded_by) == ("giay-chung-sinh.pdf", citizen)
    assert events(d)[-2:] == [("request_supplement", "2", "5"), ("supply_supplement", "5", "2")]


def test_supplement_during_processing_pushes_the_step_too(procedure, at_specialist,
                                                           specialist_a, citizen):
    step_due = at_specialist.step_records.get(finished_at__isnull=True).due_at
    assert step_due == vn(2026, 3, 3, 16, 0)  # 12 h from Monday 11:00
    ask(specialist_a, at_specialist, vn(2026, 3, 2, 16, 0))
    # Supplied Tuesday 10:00: Mon 16-17 + Tue 8-10 = 3 working hours.
    d = reload(services.supply_supplement(actor=citizen, dossier=at_specialist,
                                          files=supply_files(procedure), now=vn(2026, 3, 3, 10)))
    assert d.status == Status.PROCESSING
    assert d.due_at == vn(2026, 3, 5, 14, 0) and d.paused_seconds == 3 * HOUR
    current = d.step_records.get(finished_at__isnull=True)
    assert current.due_at == vn(2026, 3, 4, 10, 0) and current.paused_seconds == 3 * HOUR
    assert d.step_records.get(finished_at__isnull=False).paused_seconds == 0


def test_supplied_outside_working_hours_pushes_nothing(procedure, received, counter_a, citizen):
    ask(counter_a, received, vn(2026, 3, 6, 17, 30))
    d = services.supply_supplement(actor=citizen, dossier=received,
                                   files=supply_files(procedure), now=vn(2026, 3, 7, 9, 0))
    assert reload(d).due_at == DUE and d.paused_seconds == 0


def test_counter_officer_supplies_on_behalf_with_corrected_form(procedure, received, counter_a):
    ask(counter_a, received, vn(2026, 3, 2, 11))
    d = services.supply_supplement(actor=counter_a, dossier=received,
                                   files=supply_files(procedure),
                                   form_data={"birth_date": "2026-02-28"}, now=vn(2026, 3, 2, 14))
    d = reload(d)
    assert d.form_data == {"child_name": "Nguyễn Văn Bé", "birth_date": "2026-02-28"}
    assert d.files.get(is_supplement=True).uploaded_by == counter_a


# -- refusals of request_supplement ----------
@pytest.mark.parametrize(("kwargs", "field"), [
    ({"reason": " "}, "reason"),
    ({"items": []}, "items"),
    ({"items": ["  ", ""]}, "items"),
    ({"items": "Giấy chứng sinh"}, "items"),
    ({"items": [3]}, "items"),
])
def test_request_without_reason_or_items_is_refused(received, counter_a, kwargs, field):
    error = refused(InvalidInput, ask, official=counter_a, dossier=received,
                    now=vn(2026, 3, 2, 11), **kwargs)
    assert field in error.fields


def test_second_supplement_request_is_refused(procedure, received, counter_a, citizen):
    ask(counter_a, received, vn(2026, 3, 2, 11))
    services.supply_supplement(actor=citizen, dossier=received, files=supply_files(procedure),
                               now=vn(2026, 3, 2, 14))
    refused(InvalidTransition, ask, official=counter_a, dossier=received, now=vn(2026, 3, 2, 15))


def test_request_while_already_waiting_is_refused(received, counter_a):
    ask(counter_a, received, vn(2026, 3, 2, 11))
    refused(InvalidTransition, ask, official=counter_a, dossier=received, now=vn(2026, 3, 2, 15))


@pytest.mark.parametrize("who", ["specialist_a", "counter_b", "leader_b", "citizen"])
def test_request_by_someone_not_at_the_step_is_refused(request, received, who):
    refused(NotAllowed, ask, official=request.getfixturevalue(who), dossier=received,
            now=vn(2026, 3, 2, 11))


def test_request_on_new_dossier_by_a_specialist_is_refused(new_dossier, specialist_a):
    refused(NotAllowed, ask, official=specialist_a, dossier=new_dossier, now=vn(2026, 3, 2, 9, 30))


def test_request_after_the_result_is_refused(processed, leader_a):
    refused(InvalidTransition, ask, official=leader_a, dossier=processed, now=vn(2026, 3, 4, 10))


# -- refusals of supply_supplement ----------
@pytest.fixture
def waiting(received, counter_a):
    return ask(counter_a, received, vn(2026, 3, 2, 11))


@pytest.mark.parametrize("who", ["other_citizen", "counter_b", "specialist_a"])
def test_supply_by_someone_else_is_refused(request, procedure, waiting, who):
    refused(NotAllowed, services.supply_supplement, actor=request.getfixturevalue(who),
            dossier=waiting, files=supply_files(procedure))


def test_supply_by_anonymous_is_refused(procedure, waiting):
    refused(NotAllowed, services.supply_supplement, actor=AnonymousUser(), dossier=waiting,
            files=supply_files(procedure))


def test_supply_when_nothing_was_asked_is_refused(procedure, received, citizen):
    refused(InvalidTransition, services.supply_supplement, actor=citizen, dossier=received,
            files=supply_files(procedure))


def test_supply_without_files_is_refused(waiting, citizen):
    error = refused(InvalidInput, services.supply_supplement, actor=citizen, dossier=waiting,
                    files={})
    assert "files" in error.fields


def test_supply_with_bad_files_is_refused(procedure, waiting, citizen, settings):
    key = next(iter(supply_files(procedure)))
    for bad in [empty_pdf(), *disguised_files()]:
        refused(InvalidInput, services.supply_supplement, actor=citizen, dossier=waiting,
                files={key: bad})
    settings.UPLOAD_MAX_BYTES = 10
    refused(InvalidInput, services.supply_supplement, actor=citizen, dossier=waiting,
            files={key: pdf()})


def test_supply_with_bad_form_data_is_refused(procedure, waiting, citizen):
    error = refused(InvalidInput, services.supply_supplement, actor=citizen, dossier=waiting,
                    files=supply_files(procedure), form_data={"birth_date": "ngày 1"})
    assert "birth_date" in error.fields
