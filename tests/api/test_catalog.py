"""Public catalog: procedure search and detail, agencies, pagination links."""

import datetime as dt
from decimal import Decimal

from django.test import Client

from digigov.catalog.models import ImplementingLevel, Procedure, ProcedureVersion, Sector
from digigov.orgs.models import Agency
from tests.api.conftest import assert_problem


def _codes(response):
    assert response.status_code == 200, response.content
    return [p["national_code"] for p in response.json()["items"]]


def _other_procedure(agency):
    sector = Sector.objects.create(code="DD", name="Đất đai")
    proc = Procedure.objects.create(national_code="2.000001.000.00.00.H37",
                                    name="Đăng ký đất đai lần đầu", sector=sector,
                                    level=ImplementingLevel.PROVINCE)
    proc.competent_agencies.set([agency])
    ProcedureVersion.objects.create(procedure=proc, effective_from=dt.date(2025, 7, 1),
                                    legal_basis="Luật Đất đai 2024", result_type="Giấy chứng nhận",
                                    time_limit_amount=Decimal(20))
    return proc


def test_search_is_diacritic_insensitive(procedure):
    client = Client()
    assert _codes(client.get("/api/v1/procedures", {"q": "dang ky khai sinh"})) == [
        procedure.national_code]
    assert _codes(client.get("/api/v1/procedures", {"q": "ĐĂNG KÝ Khai Sinh"})) == [
        procedure.national_code]
    assert _codes(client.get("/api/v1/procedures", {"q": "ket hon"})) == []


def test_filters_by_sector_level_and_agency(procedure, province):
    other = _other_procedure(province)
    client = Client()
    assert _codes(client.get("/api/v1/procedures", {"sector": "DD"})) == [other.national_code]
    assert _codes(client.get("/api/v1/procedures", {"level": "commune"})) == [
        procedure.national_code]
    assert _codes(client.get("/api/v1/procedures", {"agency": province.code})) == [
        other.national_code]
    assert_problem(client.get("/api/v1/procedures", {"level": "district"}), 422, "invalid_input")


def test_unpublished_procedures_are_not_listed(procedure):
    Procedure.objects.filter(pk=procedure.pk).update(is_published=False)
    assert _codes(Client().get("/api/v1/procedures")) == []
    assert_problem(Client().get(f"/api/v1/procedures/{procedure.national_code}"), 404,
                   "not_found")


def test_procedure_detail_is_the_version_in_force(procedure, commune_a, commune_b):
    ProcedureVersion.objects.create(
        procedure=procedure, effective_from=dt.date(2099, 1, 1), legal_basis="Luật tương lai",
        result_type="Khác")
    response = Client().get(f"/api/v1/procedures/{procedure.national_code}")
    assert response.status_code == 200
    body = response.json()
    version = procedure.version_on()
    assert body["legal_basis"] == "Luật Hộ tịch 2014"
    assert body["effective_from"] == "2025-07-01"
    assert body["sector"] == {"code": "HT", "name": "Hộ tịch"}
    assert body["time_limit"]["amount"] == 3 and body["time_limit"]["unit"] == "working_days"
    assert body["fees"] == {"counter": 8000, "online": 4000, "note": ""}
    assert [(c["id"], c["name"], c["required"]) for c in body["components"]] == [
        (c.pk, c.name, c.required) for c in version.components.all()]
    assert [f["key"] for f in body["form_fields"]] == ["child_name", "birth_date"]
    assert body["form_fields"][1]["type"] == "date"
    assert [(s["order"], s["role"], s["allotted_hours"]) for s in body["steps"]] == [
        (1, "counter_officer", 4.0), (2, "specialist", 12.0), (3, "leader", 8.0)]
    assert {a["code"] for a in body["competent_agencies"]} == {commune_a.code, commune_b.code}


def test_unknown_procedure_is_404_problem(db):
    assert_problem(Client().get("/api/v1/procedures/9.999999"), 404, "not_found")


def test_agencies_search_and_closed_units(province, commune_a, commune_b):
    commune_b.valid_to = dt.date(2025, 12, 31)
    commune_b.successor = commune_a
    commune_b.save()
    client = Client()
    active = client.get("/api/v1/agencies").json()
    assert [a["code"] for a in active["items"]] == [province.code, commune_a.code]
    everything = client.get("/api/v1/agencies", {"include_closed": "true"}).json()
    closed = next(a for a in everything["items"] if a["code"] == commune_b.code)
    assert closed["successor_code"] == commune_a.code
    assert closed["parent_code"] == province.code
    found = client.get("/api/v1/agencies", {"q": "ubnd xa a"}).json()
    assert [a["code"] for a in found["items"]] == [commune_a.code]
    children = client.get("/api/v1/agencies", {"parent": province.code}).json()
    assert [a["code"] for a in children["items"]] == [commune_a.code]


def test_pagination_links_and_limits(province):
    for i in range(5):
        Agency.objects.create(code=f"000.{i + 10:02d}.37.H37", name=f"UBND xã số {i}",
                              parent=province, level=Agency.Level.COMMUNE,
                              valid_from=dt.date(2025, 7, 1))
    client = Client()
    first = client.get("/api/v1/agencies", {"limit": 2, "level": "commune"}).json()
    assert first["count"] == 5 and len(first["items"]) == 2
    assert first["previous"] is None
    assert first["next"] == ("http://testserver/api/v1/agencies?limit=2&level=commune&offset=2")
    second = client.get(first["next"]).json()
    assert [a["code"] for a in second["items"]] == ["000.12.37.H37", "000.13.37.H37"]
    assert second["previous"].endswith("offset=0")
    last = client.get(second["next"]).json()
    assert len(last["items"]) == 1 and last["next"] is None
    beyond = client.get("/api/v1/agencies", {"limit": 2, "offset": 50, "level": "commune"})
    assert beyond.json()["items"] == []
    assert "offset=3" in beyond.json()["previous"]  # the last real page

    body = assert_problem(client.get("/api/v1/agencies", {"limit": 201}), 422, "invalid_input")
    assert "limit" in body["errors"]
    assert client.get("/api/v1/agencies", {"limit": 200}).status_code == 200
    assert_problem(client.get("/api/v1/agencies", {"offset": -1}), 422, "invalid_input")
