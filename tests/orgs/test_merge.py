import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from digigov.accounts.models import Role, RoleAssignment
from digigov.audit.models import AuditEvent
from digigov.core.errors import InvalidInput, InvalidTransition
from digigov.dossiers import services
from digigov.dossiers.models import Status
from digigov.orgs.codes import validate_organ_code
from digigov.orgs.models import Agency
from digigov.orgs.services import close_agency, merge_agencies
from tests.conftest import FORM, component_files, make_official, vn

ON = dt.date(2026, 7, 1)


@pytest.fixture
def commune_c(province):
    return Agency.objects.create(code="000.03.37.H37", name="UBND xã C", parent=province,
                                 level=Agency.Level.COMMUNE, valid_from=dt.date(2025, 7, 1))


def _submit(procedure, agency, officer, when):
    return services.submit_at_counter(
        officer=officer, procedure=procedure, agency=agency,
        applicant={"name": "Lương Văn Tám", "id_number": "020190009999"},
        form_data=FORM, files=component_files(procedure), now=when)


def test_merge_moves_open_dossiers_and_keeps_finished_ones(procedure, commune_a, commune_b,
                                                            counter_b, counter_a, specialist_a,
                                                            leader_a):
    RoleAssignment.objects.create(user=specialist_a, agency=commune_b, role=Role.SPECIALIST)
    open_one = _submit(procedure, commune_b, counter_b, vn(2026, 6, 22, 9, 0))
    open_one = services.hand_over(official=counter_b, dossier=open_one, to_user=specialist_a,
                                  now=vn(2026, 6, 22, 10, 0))
    refused = services.submit_at_counter(
        officer=counter_b, procedure=procedure, agency=commune_b,
        applicant={"name": "Vi Thị Na", "id_number": "020190008888"}, form_data=FORM,
        files={}, receive_now=False, now=vn(2026, 6, 23, 9, 0))
    refused = services.refuse(officer=counter_b, dossier=refused, reason="Sai thẩm quyền",
                              now=vn(2026, 6, 23, 9, 30))
    elsewhere = _submit(procedure, commune_a, counter_a, vn(2026, 6, 23, 9, 0))

    result = merge_agencies([commune_b], into=commune_a, on=ON, actor=None, reason="NQ sáp nhập")

    open_one.refresh_from_db()
    refused.refresh_from_db()
    commune_b.refresh_from_db()
    assert (open_one.agency, open_one.current_agency) == (commune_a, commune_a)
    assert open_one.step_records.get(finished_at__isnull=True).agency == commune_a
    assert open_one.step_records.filter(finished_at__isnull=False).get().agency == commune_b
    assert refused.agency == commune_b and refused.status == Status.NOT_RECEIVED
    assert result.dossiers_moved == 1
    assert commune_b.valid_to == dt.date(2026, 6, 30) and commune_b.successor == commune_a
    assert not Agency.objects.active(on=ON).filter(pk=commune_b.pk).exists()
    event = AuditEvent.objects.get(action="move_to_successor", object_id=open_one.code)
    assert event.data["agency"] == [commune_b.code, commune_a.code]
    assert not AuditEvent.objects.filter(action="move_to_successor",
                                         object_id__in=[refused.code, elsewhere.code]).exists()
    # Nothing was deleted, and the moved dossier can carry on at its new unit.
    assert Agency.objects.filter(pk=commune_b.pk).exists()
    services.hand_over(official=specialist_a, dossier=open_one, to_user=leader_a,
                       now=vn(2026, 7, 1, 9, 0))


def test_merge_moves_role_assignments_once(commune_a, commune_b, counter_b, counter_a):
    both = make_official("ca.hai@example.vn", commune_b, Role.COUNTER_OFFICER)
    RoleAssignment.objects.create(user=both, agency=commune_a, role=Role.COUNTER_OFFICER)

    result = merge_agencies([commune_b], into=commune_a, on=ON, actor=None)

    assert counter_b.role_assignments.get().agency == commune_a
    assert (result.roles_moved, result.roles_kept) == (1, 1)
    # The duplicate stays with the closed unit instead of being deleted.
    assert both.role_assignments.filter(agency=commune_b).exists()


def test_merge_gives_the_successor_the_procedures_and_steps(procedure, province, commune_a,
                                                             commune_b, commune_c):
    step = procedure.version_on().steps.get(order=2)
    step.agency = commune_b
    step.save()
    procedure.competent_agencies.set([commune_b])
    merge_agencies([commune_b], into=commune_c, on=ON, actor=None)
    step.refresh_from_db()
    assert step.agency == commune_c
    assert set(procedure.competent_agencies.all()) == {commune_b, commune_c}


def test_successor_chain_resolves_to_the_unit_holding_the_work(commune_a, commune_b, commune_c):
    merge_agencies([commune_a], into=commune_b, on=dt.date(2026, 1, 1), actor=None)
    merge_agencies([commune_b], into=commune_c, on=ON, actor=None)
    commune_a.refresh_from_db()
    assert commune_a.successor == commune_b
    assert commune_a.current_successor() == commune_c
    assert commune_c.current_successor() == commune_c


def test_merge_refusals_change_nothing(commune_a, commune_b, commune_c):
    with pytest.raises(InvalidInput):
        merge_agencies([commune_a], into=commune_a, on=ON, actor=None)
    with pytest.raises(InvalidInput):
        merge_agencies([commune_a], into=commune_b, on=dt.date(2099, 1, 1), actor=None)
    with pytest.raises(InvalidInput):
        merge_agencies([], into=commune_b, on=ON, actor=None)
    with pytest.raises(InvalidInput):  # before the unit existed
        merge_agencies([commune_a], into=commune_b, on=dt.date(2025, 7, 1), actor=None)
    merge_agencies([commune_a], into=commune_b, on=ON, actor=None)
    with pytest.raises(InvalidTransition):  # would hand the work back to a closed unit
        merge_agencies([commune_b], into=commune_a, on=ON, actor=None)
    with pytest.raises(InvalidTransition):  # already closed earlier
        merge_agencies([commune_a], into=commune_c, on=dt.date(2026, 9, 1), actor=None)
    commune_b.refresh_from_db()
    assert commune_b.valid_to is None and commune_b.successor is None


def test_close_without_successor_needs_no_open_dossier(procedure, commune_a, commune_b,
                                                        counter_b):
    _submit(procedure, commune_b, counter_b, vn(2026, 6, 22, 9, 0))
    with pytest.raises(InvalidTransition):
        close_agency(commune_b, on=ON, actor=None)
    commune_b.refresh_from_db()
    assert commune_b.valid_to is None
    close_agency(commune_b, on=ON, actor=None, successor=commune_a)
    commune_b.refresh_from_db()
    assert commune_b.successor == commune_a


def test_close_an_idle_agency(commune_b):
    close_agency(commune_b, on=ON, actor=None, reason="Giải thể")
    commune_b.refresh_from_db()
    assert commune_b.valid_to == dt.date(2026, 6, 30) and commune_b.successor is None
    assert AuditEvent.objects.get(action="close_agency").data["reason"] == "Giải thể"


@pytest.mark.parametrize("code", ["000.00.00.H37", "000.01.37.H37", "000.00.01.G08",
                                  "A12.3B.00.K05"])
def test_valid_organ_codes(code):
    validate_organ_code(code)


@pytest.mark.parametrize("code", ["", "000.00.00.H3", "00.00.00.H37", "000.00.00.h37",
                                  "000-00-00-H37", "000.00.00.137", "000.00.00.H37.1",
                                  "000.000.00.H37", " 000.00.00.H37"])
def test_invalid_organ_codes(code):
    with pytest.raises(ValidationError):
        validate_organ_code(code)


def test_agency_full_clean_rejects_a_bad_code(province):
    agency = Agency(code="H37", name="Sai mã", level=Agency.Level.COMMUNE)
    with pytest.raises(ValidationError) as exc:
        agency.full_clean()
    assert "code" in exc.value.message_dict
