"""Who opens which dashboard: the units where a leader or administrator holds a role."""

import datetime as dt

import pytest

from digigov.accounts.models import Role, RoleAssignment
from digigov.core.errors import NotAllowed, NotFound
from digigov.orgs.models import Agency
from digigov.reports import access, scopes
from tests.conftest import make_official

pytestmark = pytest.mark.django_db


def test_roots_and_scope_checks(province, commune_a, commune_b, leader_a, counter_a, citizen):
    assert access.dashboard_roots(leader_a) == [commune_a]
    assert access.dashboard_roots(counter_a) == [] and access.dashboard_roots(citizen) == []
    access.check_scope(leader_a, scopes.Scope(commune_a))
    for other in (scopes.Scope(commune_b), scopes.Scope(province), scopes.instance()):
        with pytest.raises(NotFound):
            access.check_scope(leader_a, other)
    with pytest.raises(NotAllowed):
        access.check_scope(counter_a, scopes.Scope(commune_a))
    admin = make_official("quantri@example.vn", province, Role.AGENCY_ADMIN)
    access.check_scope(admin, scopes.Scope(commune_b))  # a unit under theirs
    with pytest.raises(NotFound):
        access.check_scope(admin, scopes.instance())


def test_a_leader_of_a_province_and_a_commune_opens_on_the_province(province, commune_a,
                                                                    leader_a):
    RoleAssignment.objects.create(user=leader_a, agency=province, role=Role.LEADER)
    assert access.default_scope_code(leader_a) == province.code


def test_unit_choices_are_the_tree_below_the_roles(province, commune_a, commune_b):
    boss = make_official("chutich@example.vn", province, Role.LEADER)
    choices = access.unit_choices(boss, scopes.Scope(province))
    assert [code for code, _label in choices] == [province.code, commune_a.code, commune_b.code]
    assert choices[1][1].startswith("\u2003")  # indented under the province


def test_unit_choices_stay_short_in_a_large_tree(province, commune_a, monkeypatch):
    monkeypatch.setattr(access, "MAX_CHOICES", 3)
    for n in range(5):
        Agency.objects.create(code=f"000.{n + 10:02d}.37.H37", name=f"UBND xã {n}",
                              parent=province, level=Agency.Level.COMMUNE,
                              valid_from=dt.date(2025, 7, 1))
    boss = make_official("chutich@example.vn", province, Role.LEADER)
    choices = access.unit_choices(boss, scopes.Scope(commune_a))
    assert [code for code, _label in choices] == [province.code, commune_a.code]
