"""The automatic datasets: the procedure catalog and the service-quality figures."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from digigov.catalog.models import ProcedureVersion
from digigov.dossiers.services import receive
from digigov.opendata import auto
from digigov.opendata.models import Dataset
from digigov.reports import index, periods, scopes
from tests.dossiers.support import submit

pytestmark = pytest.mark.django_db


def read(resource) -> bytes:
    with resource.file.open("rb") as handle:
        return handle.read()


def csv_rows(dataset) -> list[dict]:
    return list(csv.DictReader(io.StringIO(read(dataset.resources.get(format="CSV"))
                                           .decode("utf-8"))))


def test_procedure_catalog_dataset_matches_the_catalog(procedure, province):
    result = auto.refresh_procedures()
    dataset = result.dataset
    assert result.changed and dataset.is_published and dataset.automatic == "procedures"
    assert dataset.name == auto.PROCEDURES and dataset.publisher == province
    assert sorted(dataset.resources.values_list("format", flat=True)) == ["CSV", "JSON", "XLSX"]
    (row,) = csv_rows(dataset)
    version = procedure.version_on()
    assert row["national_code"] == procedure.national_code == "1.001193.000.00.00.H37"
    assert row["name"] == "Đăng ký khai sinh"
    assert (row["sector_code"], row["sector_name"]) == ("HT", "Hộ tịch")
    assert row["level"] == "commune" and row["level_label"] == "Cấp xã"
    assert row["service_level"] == "full"
    assert Decimal(row["time_limit_amount"]) == version.time_limit_amount == 3
    assert row["time_limit_unit"] == "working_days"
    assert (int(row["fee_counter_vnd"]), int(row["fee_online_vnd"])) == (8000, 4000)
    assert row["competent_agency_codes"] == "000.01.37.H37;000.02.37.H37"
    assert row["effective_from"] == "2025-07-01"
    data = json.loads(read(dataset.resources.get(format="JSON")))
    assert data["fields"] == auto.PROCEDURE_FIELDS
    assert data["records"][0]["fee_online_vnd"] == 4000
    sheet = load_workbook(io.BytesIO(read(dataset.resources.get(format="XLSX")))).active
    values = list(sheet.values)
    assert list(values[0]) == auto.PROCEDURE_FIELDS
    assert values[1][0] == procedure.national_code and values[1][13] == 8000
    resource = dataset.resources.get(format="CSV")
    assert resource.size == len(read(resource))
    assert dataset.data_modified == auto.catalog_changed_at()


def test_refresh_keeps_files_and_dates_while_the_catalog_is_unchanged(procedure, province):
    first = auto.refresh_procedures().dataset
    csv_resource = first.resources.get(format="CSV")
    again = auto.refresh_procedures(now=timezone.now() + dt.timedelta(minutes=5))
    assert not again.changed
    assert again.dataset.data_modified == first.data_modified
    assert again.dataset.resources.get(format="CSV").file.name == csv_resource.file.name
    assert not auto.is_stale(again.dataset)


def test_a_catalog_change_makes_the_dataset_stale_and_it_is_regenerated_on_demand(
        procedure, province, client):
    dataset = auto.refresh_procedures().dataset
    version = procedure.version_on()
    ProcedureVersion.objects.filter(pk=version.pk).update(fee_online=0)
    procedure.name = "Đăng ký khai sinh (sửa đổi)"
    procedure.save()
    dataset.refresh_from_db()
    assert auto.is_stale(dataset)
    # Opening the dataset regenerates it.
    page = client.get(f"/du-lieu-mo/{dataset.name}/")
    assert page.status_code == 200
    dataset.refresh_from_db()
    (row,) = csv_rows(dataset)
    assert row["name"] == "Đăng ký khai sinh (sửa đổi)" and row["fee_online_vnd"] == "0"
    procedure.refresh_from_db()
    assert dataset.data_modified == procedure.updated_at


def test_stale_after_max_age(procedure, province, settings):
    dataset = auto.refresh_procedures().dataset
    settings.OPENDATA_REFRESH_MAX_AGE = 60
    assert not auto.is_stale(dataset)
    assert auto.is_stale(dataset, now=timezone.now() + dt.timedelta(minutes=2))


def test_no_agency_no_automatic_dataset(db):
    assert auto.refresh_procedures() is None
    assert auto.refresh_all() == []


def test_service_quality_figures_equal_compute_index(procedure, province, citizen, counter_a,
                                                     settings):
    settings.OPENDATA_QUALITY_MONTHS = 2
    dossier = submit(procedure, citizen, procedure.competent_agencies.get(code="000.01.37.H37"),
                     now=timezone.now() - dt.timedelta(hours=2))
    receive(officer=counter_a, dossier=dossier, now=timezone.now() - dt.timedelta(hours=1))
    result = auto.refresh_service_quality()
    dataset = result.dataset
    assert result.changed and dataset.is_published
    assert dataset.automatic == "service_quality"
    rows = csv_rows(dataset)
    months = periods.previous_periods(periods.current("month"), 2)
    units = [scopes.scope_for(None), scopes.scope_for("000.00.00.H37"),
             scopes.scope_for("000.01.37.H37"), scopes.scope_for("000.02.37.H37")]
    assert {(r["unit_code"], r["period_start"]) for r in rows} == {
        (u.code or "", m.start.isoformat()) for u in units for m in months}
    received = 0
    for row in rows:
        scope = scopes.scope_for(row["unit_code"] or None)
        period = periods.date_range(dt.date.fromisoformat(row["period_start"]),
                                    dt.date.fromisoformat(row["period_end"]))
        expected = index.compute_index(scope, period)
        assert Decimal(row["index_total"]) == expected.total
        for group in expected.groups:
            assert Decimal(row[f"group_{group.code}_score"]) == group.score
        for name in auto.HEADLINE_RATES:
            rate = getattr(expected.headline, name).rate
            assert (Decimal(row[f"{name}_rate"]) if row[f"{name}_rate"] else None) == rate
        assert int(row["received"]) == expected.headline.received
        if row["unit_code"] == "000.01.37.H37":
            received += int(row["received"])
    assert received == 1
    content = read(dataset.resources.get(format="CSV")).decode()
    content += read(dataset.resources.get(format="JSON")).decode()
    for personal in (citizen.full_name, citizen.personal_id, citizen.email, "Nguyễn Văn Bé"):
        assert personal not in content
    assert dataset.temporal_start == months[0].start and dataset.temporal_end == months[-1].end


def test_command_refreshes_both(procedure, province, settings):
    settings.OPENDATA_QUALITY_MONTHS = 1
    out = io.StringIO()
    call_command("opendata_refresh", stdout=out)
    text = out.getvalue()
    assert f"{auto.PROCEDURES}: updated (3 resources" in text
    assert f"{auto.SERVICE_QUALITY}: updated (3 resources" in text
    out = io.StringIO()
    call_command("opendata_refresh", "--only", "procedures", stdout=out)
    assert out.getvalue().startswith(f"{auto.PROCEDURES}: unchanged")
    assert Dataset.objects.filter(state="published").count() == 2


def test_command_without_agencies_fails(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="OPENDATA_PUBLISHER"):
        call_command("opendata_refresh", stdout=io.StringIO())


def test_automatic_datasets_are_not_edited_by_hand(procedure, province):
    from digigov.accounts.models import Role
    from digigov.core.errors import InvalidTransition
    from digigov.opendata import services
    from tests.conftest import make_official

    from .conftest import csv_file

    admin = make_official("quantri.tinh@example.vn", province, Role.AGENCY_ADMIN)
    dataset = auto.refresh_procedures().dataset
    with pytest.raises(InvalidTransition):
        services.add_resource(actor=admin, dataset=dataset, upload=csv_file())
    with pytest.raises(InvalidTransition):
        services.replace_resource(actor=admin, resource=dataset.resources.first(),
                                  upload=csv_file())
    with pytest.raises(InvalidTransition):
        services.update_dataset(actor=admin, dataset=dataset, name="ten-khac")
    updated = services.update_dataset(actor=admin, dataset=dataset, notes="Ghi chú mới")
    assert updated.notes == "Ghi chú mới"


def test_a_withdrawn_automatic_dataset_stays_withdrawn(procedure, province):
    from digigov.accounts.models import Role
    from digigov.opendata import services
    from tests.conftest import make_official

    admin = make_official("quantri.tinh@example.vn", province, Role.AGENCY_ADMIN)
    dataset = auto.refresh_procedures().dataset
    services.unpublish_dataset(actor=admin, dataset=dataset)
    procedure.name = "Đăng ký khai sinh mới"
    procedure.save()
    result = auto.refresh_procedures()
    assert result.changed and result.dataset.state == "draft"


def test_searches_regenerate_stale_automatic_datasets(procedure, province, client):
    dataset = auto.refresh_procedures().dataset
    procedure.name = "Đăng ký khai sinh lưu động"
    procedure.save()
    found = client.get("/api/3/action/package_search", {"q": "danh muc thu tuc"}).json()
    assert found["result"]["count"] == 1
    dataset.refresh_from_db()
    assert not auto.is_stale(dataset)
    assert csv_rows(dataset)[0]["name"] == "Đăng ký khai sinh lưu động"
    procedure.name = "Đăng ký khai sinh"
    procedure.save()
    assert client.get("/du-lieu-mo/").status_code == 200
    dataset.refresh_from_db()
    assert csv_rows(dataset)[0]["name"] == "Đăng ký khai sinh"


def test_a_failing_regeneration_leaves_the_last_files_to_readers(procedure, province, client,
                                                                 monkeypatch, caplog):
    dataset = auto.refresh_procedures().dataset
    before = csv_rows(dataset)
    procedure.name = "Tên mới"
    procedure.save()

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setitem(auto.REFRESHERS, "procedures", broken)
    response = client.get(f"/du-lieu-mo/{dataset.name}/")
    assert response.status_code == 200
    assert csv_rows(dataset) == before
    assert "Regenerating the open dataset" in caplog.text
