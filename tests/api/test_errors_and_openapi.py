"""Problem details for every kind of error, and a valid OpenAPI document."""

import json

from django.test import Client
from openapi_spec_validator import validate

from tests.api.conftest import assert_problem, client_for


def test_unknown_api_path_is_a_problem(db):
    body = assert_problem(Client().get("/api/v1/no-such-thing"), 404, "not_found")
    assert body["instance"] == "/api/v1/no-such-thing"


def test_problem_types_are_documented(db):
    response = Client().get("/api/v1/problems/invalid_transition")
    assert response.status_code == 200
    assert response.json()["status"] == 409
    assert_problem(Client().get("/api/v1/problems/made_up"), 404, "not_found")


def test_validation_problem_lists_fields(new_dossier, counter_a):
    response = client_for(counter_a).post(
        f"/api/v1/dossiers/{new_dossier.code}/request-financial-obligation",
        {"amount": "nhiều", "reason": 7})
    body = assert_problem(response, 422, "invalid_input")
    assert body["errors"] == {"amount": ["Phải là số nguyên."], "reason": ["Phải là chuỗi ký tự."]}


def test_malformed_json_body_is_a_problem(new_dossier, counter_a):
    api = client_for(counter_a)
    response = api.client.post(f"/api/v1/dossiers/{new_dossier.code}/refuse", "{oops",
                                content_type="application/json", headers=api.headers)
    body = assert_problem(response, 400, "invalid_request")
    assert "JSON" in body["detail"]


def test_messages_follow_accept_language(db):
    response = Client().get("/api/v1/dossiers", headers={"Accept-Language": "vi"})
    assert response.json()["title"] == "Chưa xác thực"


def test_unexpected_error_is_500_without_internals(received_dossier, citizen, monkeypatch):
    def explode(dossier):
        raise RuntimeError("secret connection string postgres://user:pw@db")

    monkeypatch.setattr("digigov.api.routers.dossiers.dossier_detail", explode)
    response = client_for(citizen).get(f"/api/v1/dossiers/{received_dossier.code}")
    body = assert_problem(response, 500, "internal_error")
    assert "secret" not in response.content.decode()
    assert "RuntimeError" not in body["detail"]


def test_datetimes_carry_the_vietnam_offset(received_dossier, citizen):
    body = client_for(citizen).get(f"/api/v1/dossiers/{received_dossier.code}").json()
    for field in ("submitted_at", "received_at", "due_at"):
        assert body[field].endswith("+07:00"), (field, body[field])


def test_openapi_document_is_valid(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate(schema)
    paths = schema["paths"]
    for path in ("/api/v1/procedures", "/api/v1/procedures/{national_code}", "/api/v1/agencies",
                 "/api/v1/dossiers", "/api/v1/dossiers/{code}/control-sheet",
                 "/api/v1/dossiers/{code}/rate"):
        assert path in paths
    submit = paths["/api/v1/dossiers"]["post"]
    assert "multipart/form-data" in submit["requestBody"]["content"]
    assert "application/problem+json" in submit["responses"]["422"]["content"]
    assert set(schema["components"]["securitySchemes"]) >= {"BearerTokenAuth", "SessionCsrfAuth"}
    summary = schema["components"]["schemas"]["DossierSummary"]["properties"]
    assert summary["code"]["description"]


def test_docs_page_is_served(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_wrong_method_is_a_problem_with_allow(db):
    response = Client().delete("/api/v1/procedures")
    assert_problem(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]
