"""Helpers for API tests: bearer tokens per user and a client that sends them."""

import json

import pytest
from django.test import Client

from digigov.accounts.models import ApiToken
from digigov.dossiers import services
from tests.conftest import FORM, component_files

PROBLEM = "application/problem+json"


class ApiClient:
    """Django's test client with a bearer token and JSON helpers."""

    def __init__(self, key: str | None = None, **headers):
        self.client = Client()
        self.headers = dict(headers)
        if key:
            self.headers["Authorization"] = f"Bearer {key}"

    def get(self, path, data=None, **headers):
        return self.client.get(path, data, headers={**self.headers, **headers})

    def post(self, path, payload=None, **headers):
        return self.client.post(path, json.dumps(payload or {}), content_type="application/json",
                                headers={**self.headers, **headers})

    def put(self, path, payload=None, **headers):
        return self.client.put(path, json.dumps(payload or {}), content_type="application/json",
                               headers={**self.headers, **headers})

    def post_multipart(self, path, data, **headers):
        return self.client.post(path, data, headers={**self.headers, **headers})


def client_for(user) -> ApiClient:
    _token, key = ApiToken.issue(user, "test")
    return ApiClient(key)


def assert_problem(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("/api/v1/problems/")
    assert body["title"] and body["detail"]
    assert body["instance"]
    if code:
        assert body["code"] == code
        assert body["type"] == f"/api/v1/problems/{code}"
    return body


def submission(procedure, agency, /, **extra) -> dict:
    """Multipart data for POST /dossiers: the form and one PDF per required component."""
    data = {"procedure": procedure.national_code, "agency": agency.code,
            "form_data": json.dumps(FORM)}
    data.update({f"component_{cid}": upload
                 for cid, upload in component_files(procedure).items()})
    data.update(extra)
    return data


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The shared fixtures create several accounts per test; PBKDF2 would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def citizen_api(citizen):
    return client_for(citizen)


@pytest.fixture
def counter_api(counter_a):
    return client_for(counter_a)


@pytest.fixture
def new_dossier(procedure, commune_a, citizen):
    """An online dossier at commune A, not yet received."""
    return services.submit_online(applicant=citizen, procedure=procedure, form_data=FORM,
                                  files=component_files(procedure), agency=commune_a)


@pytest.fixture
def received_dossier(new_dossier, counter_a):
    return services.receive(officer=counter_a, dossier=new_dossier)

