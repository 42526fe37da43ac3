import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from digigov.orgs.models import AdministrativeUnit
from digigov.orgs.services import load_units

REFERENCE = Path("/work/shared/data/vn_provinces_2025.csv")


def test_load_units_creates_the_34_provinces_and_3321_communes(db):
    result = load_units()
    assert (result.provinces, result.communes, result.created) == (34, 3321, 3355)
    units = AdministrativeUnit.objects
    assert units.filter(kind="province", parent__isnull=True).count() == 34
    assert units.filter(kind="commune", parent__isnull=False).count() == 3321
    lang_son = units.get(code="20")
    assert lang_son.name == "Lạng Sơn"
    assert units.get(code="06193").parent == lang_son  # Xã Cao Lộc


def test_commune_counts_match_the_reference_table(db):
    load_units()
    if not REFERENCE.exists():
        pytest.skip("the shared reference table is not on this machine")
    with REFERENCE.open(encoding="utf-8", newline="") as fh:
        expected = {row["code"]: int(row["commune_level_units"]) for row in csv.DictReader(fh)}
    counts = {p.code: p.children.count()
              for p in AdministrativeUnit.objects.filter(kind="province")}
    assert counts == expected


def test_load_units_twice_changes_nothing_and_repairs_edits(db):
    load_units()
    AdministrativeUnit.objects.filter(code="06193").update(name="tên sai")
    result = load_units()
    assert (result.created, result.updated) == (0, 1)
    assert AdministrativeUnit.objects.get(code="06193").name == "Xã Cao Lộc"
    assert AdministrativeUnit.objects.count() == 3355
    assert load_units().updated == 0


def test_load_units_command_reports_counts(db, capsys):
    call_command("load_units")
    out = capsys.readouterr().out
    assert "34 tỉnh/thành phố, 3321 xã/phường/đặc khu" in out
