"""Authentication: bearer tokens, the web session with CSRF, and public endpoints."""

import datetime as dt

from django.test import Client
from django.utils import timezone

from digigov.accounts.models import ApiToken, User
from digigov.accounts.tokens import token_for_key
from digigov.dossiers.models import Status
from tests.api.conftest import ApiClient, assert_problem, client_for


def test_missing_credentials_get_401_problem_with_challenge(db):
    response = Client().get("/api/v1/dossiers")
    body = assert_problem(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"] == 'Bearer realm="digigov API"'
    assert body["instance"] == "/api/v1/dossiers"


def test_unknown_token_gets_401_invalid_token(db):
    response = ApiClient("dg_not-a-real-key").get("/api/v1/dossiers")
    assert_problem(response, 401, "unauthenticated")
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_revoked_token_gets_401(citizen):
    token, key = ApiToken.issue(citizen, "revoked")
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    body = assert_problem(ApiClient(key).get("/api/v1/dossiers"), 401, "unauthenticated")
    assert "thu hồi" in body["detail"]


def test_token_of_disabled_account_gets_401(citizen):
    _token, key = ApiToken.issue(citizen, "x")
    citizen.is_active = False
    citizen.save()
    assert_problem(ApiClient(key).get("/api/v1/dossiers"), 401, "unauthenticated")


def test_other_authorization_scheme_is_not_accepted(db):
    response = Client().get("/api/v1/dossiers", headers={"Authorization": "Basic Zm9vOmJhcg=="})
    assert_problem(response, 401, "unauthenticated")


def test_valid_token_authenticates_and_records_last_use_once_a_minute(citizen):
    token, key = ApiToken.issue(citizen, "app")
    api = ApiClient(key)
    assert api.get("/api/v1/dossiers").status_code == 200
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    assert api.get("/api/v1/dossiers").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first_use  # within the minute: no write
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - dt.timedelta(minutes=2))
    assert api.get("/api/v1/dossiers").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first_use - dt.timedelta(minutes=1)


def test_bad_token_is_not_rescued_by_a_session(citizen):
    client = Client()
    client.force_login(citizen)
    response = client.get("/api/v1/dossiers", headers={"Authorization": "Bearer dg_wrong"})
    assert_problem(response, 401, "unauthenticated")


def test_session_reads_without_csrf(citizen, new_dossier):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    response = client.get("/api/v1/dossiers")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_session_write_needs_csrf_token(citizen, new_dossier):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    url = f"/api/v1/dossiers/{new_dossier.code}/withdraw"
    refused = client.post(url, {"reason": "Nộp nhầm"}, content_type="application/json")
    assert_problem(refused, 403, "csrf_failed")
    new_dossier.refresh_from_db()
    assert new_dossier.status == Status.NEW

    csrf = "k" * 32  # a CSRF secret as the csrftoken cookie holds it
    client.cookies["csrftoken"] = csrf
    accepted = client.post(url, {"reason": "Nộp nhầm"}, content_type="application/json",
                           headers={"X-CSRFToken": csrf})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == Status.WITHDRAWN


def test_catalog_is_public(procedure):
    assert Client().get("/api/v1/procedures").status_code == 200
    assert Client().get(f"/api/v1/procedures/{procedure.national_code}").status_code == 200
    assert Client().get("/api/v1/agencies").status_code == 200


def test_token_user_acts_as_themselves(citizen, other_citizen, new_dossier):
    assert client_for(citizen).get(f"/api/v1/dossiers/{new_dossier.code}").status_code == 200
    assert_problem(client_for(other_citizen).get(f"/api/v1/dossiers/{new_dossier.code}"), 404,
                   "not_found")


def test_the_token_lookup_loads_the_user_as_the_orm_does(citizen):
    citizen.last_login = timezone.now()
    citizen.save()
    token, key = ApiToken.issue(citizen, "app")
    loaded = token_for_key(key)
    assert loaded.pk == token.pk and loaded.name == "app"
    expected = User.objects.get(pk=citizen.pk)
    for field in User._meta.concrete_fields:
        assert getattr(loaded.user, field.attname) == getattr(expected, field.attname), field.name
    assert loaded.user._state.adding is False
