"""receive and refuse."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from digigov.core.errors import InvalidInput, InvalidTransition, NotAllowed
from digigov.dossiers import services
from digigov.dossiers.models import Status
from tests.conftest import FORM, component_files, vn

from .support import DUE, RECEIVED, events, refused, reload


def test_receive(new_dossier, counter_a):
    d = services.receive(officer=counter_a, dossier=new_dossier, now=RECEIVED)
    d = reload(d)
    assert (d.status, d.received_at, d.received_by) == (Status.RECEIVED, RECEIVED, counter_a)
    assert d.due_at == DUE
    assert (d.current_step.order, d.current_agency, d.assignee) == (1, d.agency, counter_a)
    step = d.step_records.get()
    assert (step.name, step.started_at, step.receiver) == ("Tiếp nhận hồ sơ", RECEIVED, counter_a)
    assert step.due_at == vn(2026, 3, 2, 15, 0)  # 4 working hours, lunch excluded
    assert events(d)[-1] == ("receive", "1", "2")


def test_receive_after_the_procedures_cutoff_counts_from_next_day(procedure, new_dossier,
                                                                   counter_a):
    procedure.versions.update(cutoff_time=dt.time(15, 0))
    d = services.receive(officer=counter_a, dossier=new_dossier, now=vn(2026, 3, 2, 15, 30))
    assert d.due_at == vn(2026, 3, 5, 17, 0)


def test_receive_on_friday_afternoon_runs_over_the_weekend(new_dossier, counter_a):
    d = services.receive(officer=counter_a, dossier=new_dossier, now=vn(2026, 3, 6, 14, 0))
    assert d.due_at == vn(2026, 3, 11, 14, 0)


@pytest.mark.parametrize("who", ["specialist_a", "leader_a", "counter_b", "citizen"])
def test_receive_by_the_wrong_person_is_refused(request, new_dossier, who):
    refused(NotAllowed, services.receive, officer=request.getfixturevalue(who),
            dossier=new_dossier, now=RECEIVED)


def test_receive_by_anonymous_is_refused(new_dossier):
    refused(NotAllowed, services.receive, officer=AnonymousUser(), dossier=new_dossier)


def test_receive_twice_is_refused(received, counter_a):
    refused(InvalidTransition, services.receive, officer=counter_a, dossier=received)


def test_receive_incomplete_dossier_is_refused(procedure, commune_a, counter_a):
    files = component_files(procedure)
    files.pop(next(iter(files)))
    d = services.submit_at_counter(
        officer=counter_a, procedure=procedure, agency=commune_a, receive_now=False,
        applicant={"name": "Lê Văn C", "id_number": "020190009999"}, form_data=FORM,
        files=files, now=vn(2026, 3, 2, 9))
    error = refused(InvalidTransition, services.receive, officer=counter_a, dossier=d,
                    now=RECEIVED)
    assert "Giấy chứng sinh" in str(error) or "Tờ khai" in str(error)


def test_refuse(new_dossier, counter_a):
    d = services.refuse(officer=counter_a, dossier=new_dossier, reason="  Không thuộc thẩm quyền ",
                        now=RECEIVED)
    d = reload(d)
    assert (d.status, d.closing_reason, d.closed_at) == (
        Status.NOT_RECEIVED, "Không thuộc thẩm quyền", RECEIVED)
    assert events(d)[-1] == ("refuse", "1", "3")


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_refuse_without_reason_is_refused(new_dossier, counter_a, reason):
    error = refused(InvalidInput, services.refuse, officer=counter_a, dossier=new_dossier,
                    reason=reason)
    assert "reason" in error.fields


@pytest.mark.parametrize("who", ["specialist_a", "counter_b", "citizen"])
def test_refuse_by_the_wrong_person_is_refused(request, new_dossier, who):
    refused(NotAllowed, services.refuse, officer=request.getfixturevalue(who),
            dossier=new_dossier, reason="x")


def test_refuse_after_reception_is_refused(received, counter_a):
    refused(InvalidTransition, services.refuse, officer=counter_a, dossier=received, reason="x")
