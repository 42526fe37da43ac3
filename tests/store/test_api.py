"""The data store through /api/v1/: reuse on submission, the reuse flag, the citizen's papers."""

import json

import pytest

from digigov.dossiers import services
from digigov.dossiers.models import Dossier, Status, SupplementRequest
from digigov.store.models import PaperUse
from tests.api.conftest import assert_problem, client_for, submission


def reuse_submission(procedure, agency, component, paper_uuid) -> dict:
    data = submission(procedure, agency, reuse=json.dumps({str(component.pk): str(paper_uuid)}))
    data.pop(f"component_{component.pk}")
    return data


def test_submission_reuses_a_stored_paper(citizen, procedure, commune_a, reusable_component,
                                          paper):
    response = client_for(citizen).post_multipart(
        "/api/v1/dossiers", reuse_submission(procedure, commune_a, reusable_component,
                                             paper.uuid))
    assert response.status_code == 201, response.content
    files = {f["component_id"]: f for f in response.json()["files"]}
    assert files[reusable_component.pk]["is_reused"] is True
    assert files[reusable_component.pk]["reused_from"] == str(paper.uuid)
    assert files[reusable_component.pk]["sha256"] == paper.sha256
    others = [f for cid, f in files.items() if cid != reusable_component.pk]
    assert others and not any(f["is_reused"] for f in others)
    dossier = Dossier.objects.get()
    assert dossier.files.get(component=reusable_component).file.name == paper.file.name
    use = PaperUse.objects.get()
    assert (use.paper, use.dossier, use.agency) == (paper, dossier, commune_a)
    detail = client_for(citizen).get(f"/api/v1/dossiers/{dossier.code}").json()
    assert [f["is_reused"] for f in detail["files"]].count(True) == 1


def test_paper_of_someone_else_is_a_field_error(citizen, procedure, commune_a,
                                                reusable_component, foreign_paper):
    response = client_for(citizen).post_multipart(
        "/api/v1/dossiers", reuse_submission(procedure, commune_a, reusable_component,
                                             foreign_paper.uuid))
    body = assert_problem(response, 422, "invalid_input")
    assert list(body["errors"]) == [f"component_{reusable_component.pk}"]
    assert not Dossier.objects.exists() and not PaperUse.objects.exists()


def test_unknown_paper_reads_exactly_like_someone_elses(citizen, procedure, commune_a,
                                                       reusable_component, foreign_paper):
    api = client_for(citizen)
    foreign = assert_problem(api.post_multipart("/api/v1/dossiers", reuse_submission(
        procedure, commune_a, reusable_component, foreign_paper.uuid)), 422)
    unknown = assert_problem(api.post_multipart("/api/v1/dossiers", reuse_submission(
        procedure, commune_a, reusable_component, "8a0c1b2e-3f4d-4e5f-9a6b-7c8d9e0f1a2b")), 422)
    assert foreign["errors"] == unknown["errors"]


def test_expired_paper_is_refused(citizen, procedure, commune_a, reusable_component,
                                  expired_paper):
    body = assert_problem(client_for(citizen).post_multipart(
        "/api/v1/dossiers", reuse_submission(procedure, commune_a, reusable_component,
                                             expired_paper.uuid)), 422)
    assert "hết hiệu lực" in body["errors"][f"component_{reusable_component.pk}"][0]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("raw, field", [
    ("not json", "reuse"), ("[1, 2]", "reuse"), ('{"5": 7}', "reuse"),
    ('{"5": "not-a-uuid"}', "reuse.5"),
])
def test_malformed_reuse_is_refused(citizen, procedure, commune_a, raw, field):
    body = assert_problem(client_for(citizen).post_multipart(
        "/api/v1/dossiers", submission(procedure, commune_a, reuse=raw)), 422)
    assert list(body["errors"]) == [field]
    assert not Dossier.objects.exists()


def test_list_of_my_papers(citizen, paper, expired_paper, foreign_paper):
    response = client_for(citizen).get("/api/v1/store/papers")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    by_uuid = {p["uuid"]: p for p in body["items"]}
    assert set(by_uuid) == {str(paper.uuid), str(expired_paper.uuid)}
    assert by_uuid[str(paper.uuid)]["is_valid"] is True
    assert by_uuid[str(expired_paper.uuid)]["is_valid"] is False
    assert by_uuid[str(expired_paper.uuid)]["valid_until"] == "2026-02-01"
    assert by_uuid[str(paper.uuid)]["kind"]["code"] == "giay-chung-sinh"
    assert by_uuid[str(paper.uuid)]["issuer_name"] == "Bệnh viện Đa khoa"


def test_list_of_papers_needs_authentication(db):
    from tests.api.conftest import ApiClient

    assert_problem(ApiClient().get("/api/v1/store/papers"), 401, "unauthenticated")


def test_supplement_request_naming_a_reused_component_is_refused(
        citizen, counter_a, procedure, commune_a, reusable_component, paper):
    response = client_for(citizen).post_multipart(
        "/api/v1/dossiers", reuse_submission(procedure, commune_a, reusable_component,
                                             paper.uuid))
    dossier = services.receive(officer=counter_a, dossier=Dossier.objects.get())
    body = assert_problem(client_for(counter_a).post(
        f"/api/v1/dossiers/{dossier.code}/request-supplement",
        {"reason": "Thiếu", "components": [reusable_component.pk]}), 422, "invalid_input")
    assert list(body["errors"]) == ["components"]
    assert Dossier.objects.get().status == Status.RECEIVED
    assert not SupplementRequest.objects.exists()
    assert response.status_code == 201
