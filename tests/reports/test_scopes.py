"""Scopes: an agency with all its sub-units, or the whole instance."""

import datetime as dt

import pytest

from digigov.core.errors import NotFound
from digigov.orgs.models import Agency
from digigov.reports import scopes


@pytest.fixture
def ministry(db):
    return Agency.objects.create(code="000.00.00.G01", name="Bộ Tư pháp",
                                 level=Agency.Level.MINISTRY, valid_from=dt.date(2025, 3, 1))


@pytest.fixture
def hamlet_office(commune_a):
    return Agency.objects.create(code="001.01.37.H37", name="Bộ phận một cửa xã A",
                                 parent=commune_a, level=Agency.Level.COMMUNE_CENTRE,
                                 valid_from=dt.date(2025, 7, 1))


def test_scope_for_codes(province, commune_a):
    assert scopes.scope_for(None).agency is None
    assert scopes.scope_for("").is_instance
    assert scopes.scope_for("  ").code is None
    assert scopes.scope_for("000.01.37.H37").agency == commune_a
    assert scopes.scope_for("000.01.37.h37").agency == commune_a
    assert scopes.scope_for(None).label == "Toàn hệ thống"
    assert scopes.scope_for("000.00.00.H37").label == "UBND tỉnh Lạng Sơn"


def test_unknown_code_is_not_found(db):
    with pytest.raises(NotFound):
        scopes.scope_for("000.00.00.H99")


def test_a_scope_covers_all_descendants(province, commune_a, commune_b, hamlet_office):
    assert scopes.scope_for(province.code).agency_ids() == {
        province.pk, commune_a.pk, commune_b.pk, hamlet_office.pk}
    assert scopes.scope_for(commune_a.code).agency_ids() == {commune_a.pk, hamlet_office.pk}
    assert scopes.scope_for(commune_b.code).agency_ids() == {commune_b.pk}
    assert scopes.instance().agency_ids() is None


def test_children(province, commune_a, commune_b, ministry, hamlet_office):
    assert [s.code for s in scopes.children(scopes.instance())] == [ministry.code, province.code]
    assert [s.code for s in scopes.children(scopes.Scope(province))] == [commune_a.code,
                                                                          commune_b.code]
    assert [s.code for s in scopes.children(scopes.Scope(commune_b))] == []


def test_root_of(province, commune_a, hamlet_office, ministry):
    assert scopes.root_of(hamlet_office.pk) == province.pk
    assert scopes.root_of(province.pk) == province.pk
    assert scopes.root_of(ministry.pk) == ministry.pk


def test_scopes_compare_by_code(province):
    assert scopes.scope_for(province.code) == scopes.Scope(province)
    assert len({scopes.instance(), scopes.scope_for(None)}) == 1
