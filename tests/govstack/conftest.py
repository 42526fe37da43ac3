"""Helpers for the GovStack API tests: authenticated clients and validation against the spec."""

import copy
import json

import pytest
from django.test import Client
from jsonschema import Draft7Validator, FormatChecker

from digigov.accounts.models import ApiToken
from digigov.govstack.views.specs import REGISTRATION_SPEC, STATISTICS_SPEC
from tests.conftest import PDF_BYTES

BASE = "/api/govstack/registration"
IM_CLIENT = "eGovStack/GOV/90000009/digitalregistries"

REGISTRATION = json.loads(REGISTRATION_SPEC.read_text())
STATISTICS = json.loads(STATISTICS_SPEC.read_text())


def _resolve(spec: dict, node, strict: bool = True):
    """Inline every $ref of an OpenAPI 3.0 document and translate it to JSON Schema.

    ``nullable: true`` becomes a "null" type. When ``strict``, objects that
    declare properties get ``additionalProperties: false`` unless they say
    otherwise, so that a response carrying anything the contract does not
    define fails.
    """
    if isinstance(node, list):
        return [_resolve(spec, item, strict) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        return _resolve(spec, target, strict)
    out = {key: _resolve(spec, value, strict) for key, value in node.items()
           if key not in ("example", "xml", "nullable")}
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    if strict and "properties" in out and "additionalProperties" not in out:
        # A key the spec requires without describing it (applicationFileResponse's
        # applicantId) is part of the contract too.
        for key in out.get("required", []):
            out["properties"].setdefault(key, {})
        out["additionalProperties"] = False
    return out


def response_schema(spec: dict, path: str, method: str, status: int, *,
                    strict: bool = True) -> dict | None:
    responses = spec["paths"][path][method]["responses"]
    response = _resolve(spec, responses[str(status)], strict)
    content = response.get("content")
    if not content:
        return None
    return next(iter(content.values()))["schema"]


def system_error_schema() -> dict:
    schema = copy.deepcopy(_resolve(REGISTRATION, {"$ref": "#/components/schemas/systemError"}))
    # Our refusals add the HTTP status and field messages to the spec's four properties.
    schema["properties"].update(status={"type": "integer"},
                                fields={"type": "object",
                                        "additionalProperties": {"type": "array",
                                                                 "items": {"type": "string"}}})
    schema["required"] = ["traceId", "code", "message", "localizedMessage"]
    return schema


def validate(schema: dict, body) -> None:
    Draft7Validator(schema, format_checker=FormatChecker()).validate(body)


def assert_conforms(response, path: str, method: str, *, spec: dict = REGISTRATION):
    """The body matches the schema the contract declares for the status.

    Success bodies must hold nothing the contract does not define. Every
    refusal carries our ``systemError`` (the spec's four properties, plus the
    status and field messages), whether the contract declares a body for that
    status (400 on uploads), declares none (404) or does not list it (401, 403).
    """
    body = response.json()
    declared = spec["paths"][path][method]["responses"]
    is_error = response.status_code >= 400
    if str(response.status_code) in declared:
        schema = response_schema(spec, path, method, response.status_code, strict=not is_error)
        if schema is not None:
            validate(schema, body)
    else:
        assert is_error, (response.status_code, body)
    if not is_error:
        return body
    validate(system_error_schema(), body)
    assert response["X-Trace-Id"] == body["traceId"]
    return body


class Api:
    """A test client for the API with a bearer token (or none) and the mediator header."""

    def __init__(self, user=None, *, im_client: str | None = IM_CLIENT):
        self.client = Client()
        self.headers = {}
        if user is not None:
            _token, key = ApiToken.issue(user, "test")
            self.headers["Authorization"] = f"Bearer {key}"
        if im_client is not None:
            self.headers["Information-Mediator-Client"] = im_client

    def get(self, path, params=None, **headers):
        return self.client.get(BASE + path, params or {}, headers={**self.headers, **headers})

    def post(self, path, body=None, **headers):
        return self.client.post(BASE + path, json.dumps(body if body is not None else {}),
                                content_type="application/json",
                                headers={**self.headers, **headers})

    def put(self, path, body, **headers):
        return self.client.put(BASE + path, json.dumps(body), content_type="application/json",
                               headers={**self.headers, **headers})

    def upload(self, content=PDF_BYTES, *, name="giay-to.pdf", component=None, **headers):
        from django.core.files.uploadedfile import SimpleUploadedFile

        query = ""
        if component is not None:
            query = "?additionalMetadata=" + json.dumps({"componentId": str(component)})
        return self.client.post(BASE + "/documents" + query,
                                {"file": SimpleUploadedFile(name, content)},
                                headers={**self.headers, **headers})


@pytest.fixture
def api():
    return Api


def submit_body(citizen, procedure, document_urls, *, agency_code="000.01.37.H37", **data):
    from digigov.govstack.identifiers import eform_id

    form = {"child_name": {"value": "Nguyễn Văn Bé"}, "birth_date": {"value": "2026-03-01"},
            "receivingAgency": {"value": agency_code}, **data}
    return {
        "applicantId": str(citizen.uuid),
        "applicationName": citizen.full_name,
        "formData": {"eFormId": eform_id(procedure.version_on()), "data": form},
        "documentUrls": document_urls,
    }


def upload_required(api_client, procedure) -> list[str]:
    """Upload one PDF per required component; return the document URLs."""
    urls = []
    for component in procedure.version_on().components.filter(required=True):
        response = api_client.upload(component=component.pk, name=f"c{component.order}.pdf")
        assert response.status_code == 200, response.json()
        urls.append(response.json()["url"])
    return urls


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def submitted(procedure, citizen):
    """A dossier submitted online through the API by the citizen, at commune A."""
    from digigov.dossiers.models import Dossier

    client = Api(citizen)
    response = client.post(f"/services/{procedure.uuid}/applications",
                           submit_body(citizen, procedure, upload_required(client, procedure)))
    assert response.status_code == 200, response.json()
    return Dossier.objects.get(uuid=response.json()["fileId"])
