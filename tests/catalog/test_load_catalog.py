import csv
import datetime as dt
from decimal import Decimal

from digigov.catalog.models import (
    ComponentSpec,
    FormField,
    Procedure,
    ProcedureVersion,
    ProcessStep,
)
from digigov.catalog.services import DATA_FILE, load_catalog, read_catalog

SAMPLE = DATA_FILE.parent / "vn_procedures_sample.csv"


def _version(code_start):
    return ProcedureVersion.objects.get(procedure__national_code__startswith=code_start)


def test_catalog_loads_at_least_15_complete_procedures(catalog_units):
    result = load_catalog(catalog_units)
    assert not result.skipped
    procedures = Procedure.objects.all()
    assert procedures.count() >= 15
    for procedure in procedures:
        version = procedure.version_on(dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
        assert version is not None, procedure
        assert version.components.filter(required=True).exists(), procedure
        assert version.form_fields.exists(), procedure
        steps = list(version.steps.order_by("order"))
        assert 3 <= len(steps) <= 5, procedure
        assert steps[0].role == "counter_officer", procedure
        assert {"specialist", "leader"} <= {s.role for s in steps}, procedure
        assert procedure.competent_agencies.exists(), procedure
        assert version.legal_basis and version.result_type and version.time_limit_text
        if version.time_limit_unit != "same_day":
            hours = float(version.time_limit_amount) * 8
            assert float(version.total_allotted_hours) <= hours, procedure


def test_loading_twice_changes_nothing(catalog_units):
    load_catalog(catalog_units)
    counts = [m.objects.count() for m in (Procedure, ProcedureVersion, ComponentSpec,
                                          FormField, ProcessStep)]
    again = load_catalog(catalog_units)
    assert again.created == 0
    assert [m.objects.count() for m in (Procedure, ProcedureVersion, ComponentSpec,
                                        FormField, ProcessStep)] == counts


def test_time_limit_units_cut_off_and_channel_fees(catalog_units):
    load_catalog(catalog_units)
    birth = _version("1.001193.")
    assert birth.time_limit_unit == "same_day" and birth.cutoff_time == dt.time(15, 0)
    judicial = ProcedureVersion.objects.get(
        procedure__national_code="CXM-judicial-record-certificate")
    assert (judicial.time_limit_unit, judicial.time_limit_amount) == ("calendar_days", 10)
    assert judicial.steps.filter(agency=catalog_units["justice"]).count() == 2
    residence = _version("1.004222.")
    assert (residence.fee_counter, residence.fee_online) == (20000, 10000)
    assert residence.time_limit_unit == "working_days"
    assert residence.time_limit_amount == Decimal(7)


def test_competent_units_follow_the_level(catalog_units):
    load_catalog(catalog_units)
    birth = Procedure.objects.get(national_code="1.001193.000.00.00.H37")
    assert set(birth.competent_agencies.all()) == set(catalog_units["communes"])
    consular = Procedure.objects.filter(level="central")
    assert consular.count() == 2
    assert all(list(p.competent_agencies.all()) == [catalog_units["consular"]] for p in consular)
    judicial = Procedure.objects.get(national_code="CXM-judicial-record-certificate")
    assert list(judicial.competent_agencies.all()) == [catalog_units["province_centre"]]


def test_unverified_source_data_is_marked(catalog_units):
    """A CSV row whose time limit says "unverified" keeps its text, marked (chưa xác minh)."""
    load_catalog(catalog_units)
    with SAMPLE.open(encoding="utf-8") as fh:
        rows = {r["national_code"]: r for r in csv.DictReader(fh)
                if r["national_code"][0].isdigit()}
    checked = 0
    for version in ProcedureVersion.objects.select_related("procedure"):
        code = version.procedure.national_code.split(".000.")[0]
        row = rows.get(code)
        if row is None:
            continue
        if row["time_limit"].startswith("unverified"):
            assert "(chưa xác minh" in version.time_limit_text, code
            checked += 1
        if row["legal_basis"].lower().startswith("unverified"):
            assert "(chưa xác minh)" in version.legal_basis, code
    assert checked >= 8


def test_every_entry_names_its_source():
    data = read_catalog()
    assert all(entry["source"] for entry in data["procedures"])
    from_sample = [e for e in data["procedures"] if "vn_procedures_sample.csv (" in e["source"]]
    assert len(from_sample) >= 15


def test_procedures_of_missing_units_are_skipped(catalog_units):
    units = {k: v for k, v in catalog_units.items() if k not in ("consular", "justice")}
    result = load_catalog(units)
    assert set(result.skipped) == {"consular-authentication", "consular-legalisation",
                                   "judicial-record-certificate"}
    assert not Procedure.objects.filter(level="central").exists()
