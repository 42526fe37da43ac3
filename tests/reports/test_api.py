"""/api/v1/reports/*: index, ranking, trend and exports for everyone; drill-downs for leaders."""
# ruff: noqa: F811 - the month_data fixture is imported from ui_support

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from digigov.accounts.models import ApiToken, Role
from digigov.reports import index, periods
from tests.conftest import make_official

from .ui_support import MARCH, month_data, scope  # noqa: F401

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
MARCH_PARAMS = {"kind": "month", "year": 2026, "number": 3}


def bearer(user) -> dict:
    _token, key = ApiToken.issue(user, "test")
    return {"Authorization": f"Bearer {key}"}


def test_index_is_public_and_equals_compute_index(client, month_data, commune_a):
    response = client.get("/api/v1/reports/index", {**MARCH_PARAMS, "unit": commune_a.code})
    assert response.status_code == 200
    expected = json.loads(json.dumps(index.compute_index(scope(commune_a.code), MARCH).as_dict(),
                                     default=str))
    assert response.json() == expected
    body = response.json()
    assert body["period"]["start"] == "2026-02-15" and body["period"]["end"] == "2026-03-14"
    assert [g["code"] for g in body["groups"]] == ["1", "2", "3", "4", "5", "6"]
    text = response.content.decode()
    for dossier in month_data.values():
        assert dossier.code not in text and dossier.applicant_name not in text


def test_index_of_a_quarter_a_range_and_with_filters(client, month_data, procedure):
    body = client.get("/api/v1/reports/index", {"kind": "quarter", "year": 2026,
                                                "number": 1}).json()
    assert body["period"]["start"] == "2025-12-15" and body["period"]["label"] == "Quý I/2026"
    body = client.get("/api/v1/reports/index", {"kind": "range", "start": "2026-03-01",
                                                "end": "2026-03-31"}).json()
    assert body["headline"]["received"] == 4
    body = client.get("/api/v1/reports/index", {**MARCH_PARAMS,
                                                "procedure": procedure.national_code}).json()
    assert body["filters"]["procedure"] == procedure.national_code
    assert body["headline"]["received"] == 4


def test_index_without_a_period_is_the_current_month(client, db):
    body = client.get("/api/v1/reports/index").json()
    current = periods.current("month")
    assert body["period"]["start"] == current.start.isoformat()


@pytest.mark.parametrize("params, field", [
    ({"kind": "month", "year": 2026, "number": 13}, "number"),
    ({"kind": "range", "start": "2026-03-10", "end": "2026-03-01"}, "end"),
    ({"kind": "week"}, "kind"),
    ({"kind": "month", "year": 2026}, "number"),
    ({**MARCH_PARAMS, "sector": "KHONG-CO"}, "sector"),
])
def test_bad_report_parameters_are_422(client, db, params, field):
    response = client.get("/api/v1/reports/index", params)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == PROBLEM
    assert field in json.dumps(response.json()["errors"])


def test_unknown_unit_is_404(client, db):
    response = client.get("/api/v1/reports/index", {"unit": "999.99.99.X99"})
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM


def test_ranking_and_trend(client, month_data, province, commune_a, commune_b):
    body = client.get("/api/v1/reports/ranking", {**MARCH_PARAMS, "unit": province.code}).json()
    ranked = index.ranking(scope(province.code), MARCH)
    assert [i["code"] for i in body["items"]] == [r.scope.code for r in ranked]
    assert [i["total"] for i in body["items"]] == [str(r.total) for r in ranked]
    assert body["items"][0]["rank"] == 1
    assert set(body["items"][0]["groups"]) == {"1", "2", "3", "4", "5", "6"}
    top = client.get("/api/v1/reports/ranking", MARCH_PARAMS).json()
    assert [i["code"] for i in top["items"]] == [province.code]

    trend = client.get("/api/v1/reports/trend", {**MARCH_PARAMS, "unit": commune_a.code,
                                                  "count": 3}).json()
    assert [t["period"]["label"] for t in trend] == ["Tháng 1/2026", "Tháng 2/2026",
                                                     "Tháng 3/2026"]
    assert trend[-1]["total"] == str(index.compute_index(scope(commune_a.code), MARCH).total)
    assert client.get("/api/v1/reports/trend", {"count": 0}).status_code == 422


def test_drilldown_needs_a_leader_of_the_unit(client, month_data, commune_a, commune_b,
                                              leader_a, counter_a, citizen):
    params = {**MARCH_PARAMS, "unit": commune_a.code, "code": "2.1", "part": "denominator"}
    assert client.get("/api/v1/reports/drilldown", params).status_code == 401
    response = client.get("/api/v1/reports/drilldown", params, headers=bearer(counter_a))
    assert response.status_code == 403
    response = client.get("/api/v1/reports/drilldown", params, headers=bearer(citizen))
    assert response.status_code == 403
    other = {**params, "unit": commune_b.code}
    response = client.get("/api/v1/reports/drilldown", other, headers=bearer(leader_a))
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM
    response = client.get("/api/v1/reports/drilldown", params, headers=bearer(leader_a))
    assert response.status_code == 200
    body = response.json()
    expected = index.drilldown(scope(commune_a.code), MARCH, "2.1", "denominator")
    assert body["count"] == expected.count() == 3
    assert {d["code"] for d in body["items"]} == {d.code for d in expected}
    late = next(d for d in body["items"] if d["code"] == month_data["a_late"].code)
    assert late["timeliness"] == "late" and late["procedure"]
    assert "applicant" not in json.dumps(body)


def test_drilldown_pages_and_refusals(client, month_data, commune_a, province):
    boss = make_official("chutich@example.vn", province, Role.LEADER)
    headers = bearer(boss)
    params = {**MARCH_PARAMS, "unit": province.code, "code": "received", "limit": 3}
    body = client.get("/api/v1/reports/drilldown", params, headers=headers).json()
    assert body["count"] == 4 and len(body["items"]) == 3 and body["next"]
    body = client.get(body["next"], headers=headers).json()
    assert len(body["items"]) == 1 and body["next"] is None
    bad = client.get("/api/v1/reports/drilldown", {**params, "code": "1.1"}, headers=headers)
    assert bad.status_code == 422
    bad = client.get("/api/v1/reports/drilldown", {**params, "part": "all"}, headers=headers)
    assert bad.status_code == 422


def test_late_list(client, month_data, leader_a, commune_a):
    response = client.get("/api/v1/reports/late", {"unit": commune_a.code},
                          headers=bearer(leader_a))
    assert response.status_code == 200
    assert [d["code"] for d in response.json()["items"]] == [month_data["a_open_late"].code]


def test_exports_download(client, month_data, commune_a):
    params = {**MARCH_PARAMS, "unit": commune_a.code}
    xlsx = client.get("/api/v1/reports/export.xlsx", params)
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Chỉ số", "Tỷ lệ, thời gian", "Xếp hạng"]
    response = client.get("/api/v1/reports/export.csv", params)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    total = next(r for r in rows if r["bang"] == "tong")
    assert total["diem"] == str(index.compute_index(scope(commune_a.code), MARCH).total)
    assert client.get("/api/v1/reports/export.pdf", params)["Content-Type"] == "application/pdf"
    assert client.get("/api/v1/reports/export.json", params).json()["index"]["scope"]["code"] \
        == commune_a.code
    assert client.get("/api/v1/reports/export.doc", params).status_code in (404, 422)


def test_openapi_documents_the_endpoints(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/reports/index", "/api/v1/reports/ranking", "/api/v1/reports/trend",
                 "/api/v1/reports/drilldown", "/api/v1/reports/late",
                 "/api/v1/reports/export.{fmt}"):
        assert path in schema["paths"], path
    index_op = schema["paths"]["/api/v1/reports/index"]["get"]
    assert not index_op.get("security")
    assert schema["paths"]["/api/v1/reports/drilldown"]["get"]["security"]
    names = {p["name"] for p in index_op["parameters"]}
    assert {"unit", "kind", "year", "number", "start", "end", "sector", "procedure"} <= names
