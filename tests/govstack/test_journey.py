"""A whole registration through the GovStack API, and who sees what."""

from django.test import Client

from digigov.audit.models import AuditEvent
from digigov.dossiers.models import Status
from tests.conftest import PASSWORD

from .conftest import (
    IM_CLIENT,
    STATISTICS,
    Api,
    assert_conforms,
    submit_body,
    upload_required,
)


def _complete_only_task(client, *, data=None, expected_role):
    tasks = client.get("/tasks")
    listing = assert_conforms(tasks, "/tasks", "get")
    assert len(listing) == 1, listing
    assert listing[0]["roleId"] == expected_role
    task_id = listing[0]["taskId"]
    detail = assert_conforms(client.get(f"/tasks/{task_id}"), "/tasks/{taskId}", "get")
    done = client.post(f"/tasks/{task_id}/complete", {"data": data or {}})
    assert done.status_code == 200, done.json()
    assert_conforms(done, "/tasks/{taskId}/complete", "post")
    return detail, done.json()


def test_registration_from_service_list_to_statistics(procedure, citizen, counter_a,
                                                      specialist_a, leader_a):
    applicant = Api(citizen)
    services = applicant.get("/services", {"name": "khai sinh"}).json()
    service_id = services[0]["id"]
    eform_id = applicant.get(f"/services/{service_id}/eForms").json()[0]["eFormId"]
    eform = applicant.get(f"/eForms/{eform_id}").json()
    required = [d for d in eform["schema"]["x-documents"] if d["required"]]
    urls = [applicant.upload(component=d["componentId"]).json()["url"] for d in required]

    body = submit_body(citizen, procedure, urls)
    body["formData"]["eFormId"] = eform_id
    submitted = applicant.post(f"/services/{service_id}/applications", body)
    assert submitted.status_code == 200
    file_id = submitted.json()["fileId"]

    counter, specialist, leader = Api(counter_a), Api(specialist_a), Api(leader_a)
    detail, done = _complete_only_task(counter, expected_role="counter_officer")
    assert detail["data"]["action"] == {"value": "receive"}
    assert done["status"]["code"] == "PENDING"
    detail, done = _complete_only_task(
        counter, expected_role="counter_officer",
        data={"assigneeId": {"value": str(specialist_a.uuid)}})
    assert detail["taskName"] == "Tiếp nhận hồ sơ" and detail["data"]["action"] == {
        "value": "handOver"}
    assert done["variables"]["nextTask"]["data"]["assigneeId"] == {"value": str(specialist_a.uuid)}
    assert counter.get("/tasks").json() == []
    detail, _done = _complete_only_task(
        specialist, expected_role="specialist",
        data={"note": {"value": "Hồ sơ hợp lệ"}})
    assert detail["taskName"] == "Thẩm định hồ sơ"
    refused = leader.post(f"/tasks/{detail['taskId']}/complete", {"data": {}})
    assert refused.status_code == 404  # the specialist's task is done; a new one is open
    detail, done = _complete_only_task(
        leader, expected_role="leader",
        data={"resultSummary": {"value": "Cấp Giấy khai sinh số 12/2026"}})
    assert detail["data"]["action"] == {"value": "complete"}
    assert done["status"]["code"] == "APPROVED" and "nextTask" not in done["variables"]

    final = applicant.get(f"/applications/{file_id}").json()
    assert final["status"] == {"code": "APPROVED", "title": "Đã xử lý xong"}
    assert final["ended"] is True
    dossier = citizen.dossiers.get()
    assert dossier.status == Status.PROCESSED
    assert [r.name for r in dossier.step_records.all()] == [
        "Tiếp nhận hồ sơ", "Thẩm định hồ sơ", "Phê duyệt"]

    stats = Api().get("/data/statistics", {"registrationName": "khai sinh", "timeframe": "day"})
    days = assert_conforms(stats, "/data/statistics", "get", spec=STATISTICS)
    today = [d for d in days if d["approved"]]
    assert len(today) == 1 and today[0]["processed"] == 1 and today[0]["rejected"] == 0
    by_leader = Api().get("/data/statistics", {"operator": "lanhdao", "role": "leader"}).json()
    assert by_leader[0]["approved"] == 1
    by_specialist = Api().get("/data/statistics", {"role": "specialist"}).json()
    assert by_specialist[0]["approved"] == 0
    other = Api().get("/data/statistics", {"registrationName": "kết hôn"}).json()
    assert other[0]["processed"] == 0


def test_a_send_back_counts_in_statistics_once(submitted, counter_a, citizen):
    Api(counter_a).post(f"/tasks/{submitted.uuid}.0/complete", {"data": {
        "decision": {"value": "sendBack"}, "reason": {"value": "Thiếu chữ ký"},
        "items": {"value": ["Tờ khai"]}}})
    stats = Api().get("/data/statistics").json()
    assert (stats[0]["sentBack"], stats[0]["processed"]) == (1, 1)
    assert Api(counter_a).get("/tasks").json() == []  # waiting for the applicant
    listing = Api(citizen).get("/applications").json()
    assert listing[0]["status"]["code"] == "SENDBACK"


def test_official_of_commune_b_sees_no_work_of_commune_a(submitted, counter_a, counter_b):
    other = Api(counter_b)
    assert other.get("/tasks").json() == []
    assert other.get("/applications").json() == []
    assert other.get(f"/applications/{submitted.uuid}").status_code == 404
    assert other.get(f"/tasks/{submitted.uuid}.0").status_code == 404
    refused = other.post(f"/tasks/{submitted.uuid}.0/complete", {"data": {}})
    assert refused.status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Status.NEW
    assert [t["fileId"] for t in Api(counter_a).get("/tasks").json()] == [str(submitted.uuid)]


def test_a_specialist_does_not_get_the_counter_task(submitted, specialist_a, leader_a):
    assert Api(specialist_a).get("/tasks").json() == []
    assert Api(leader_a).get("/tasks").json() == []
    # The specialist may read the dossier of their unit, but not act for the counter.
    assert Api(specialist_a).get(f"/applications/{submitted.uuid}").status_code == 200
    assert Api(specialist_a).post(f"/tasks/{submitted.uuid}.0/complete",
                                  {"data": {}}).status_code == 403


def test_citizen_sees_only_own_applications(submitted, other_citizen):
    client = Api(other_citizen)
    assert client.get("/applications").json() == []
    assert client.get(f"/applications/{submitted.uuid}").status_code == 404
    documents = client.get("/applications")  # nothing leaks through document URLs either
    assert documents.json() == []
    file_url = Api(submitted.applicant).get(f"/applications/{submitted.uuid}").json()[
        "applicationData"]["documentUrls"][0]
    path = file_url.removeprefix("http://testserver/api/govstack/registration")
    assert client.get(path).status_code == 404
    assert Api(submitted.applicant).get(path).status_code == 200


def test_staged_document_of_another_user_cannot_be_attached(procedure, citizen, other_citizen):
    urls = upload_required(Api(other_citizen), procedure)
    response = Api(citizen).post(f"/services/{procedure.uuid}/applications",
                                 submit_body(citizen, procedure, urls))
    assert response.status_code == 400
    assert "documentUrls[0]" in response.json()["fields"]
    assert citizen.dossiers.count() == 0


def test_document_without_component_is_refused_at_submission(procedure, citizen):
    client = Api(citizen)
    url = client.upload().json()["url"]
    response = client.post(f"/services/{procedure.uuid}/applications",
                           submit_body(citizen, procedure, [url]))
    assert response.status_code == 400 and "documentUrls[0]" in response.json()["fields"]


def test_attached_documents_are_no_longer_staged(submitted, citizen, procedure):
    from digigov.govstack.models import StagedDocument

    assert not StagedDocument.objects.exists()
    assert submitted.files.count() == 2


def test_base64_upload(procedure, citizen):
    import base64

    from tests.conftest import PDF_BYTES

    client = Api(citizen)
    response = client.client.post("/api/govstack/registration/documents",
                                  {"file": base64.b64encode(PDF_BYTES).decode(),
                                   "fileName": "to-khai.pdf"}, headers=client.headers)
    assert response.status_code == 200
    assert client.upload(b"", name="rong.pdf").status_code == 400
    assert client.client.post("/api/govstack/registration/documents", {"file": "%%%"},
                              headers=client.headers).status_code == 400


# -- headers and authentication ------------------------------------------------------------
def test_malformed_information_mediator_client_is_400(procedure, citizen):
    for bad in ("eGovStack/GOV/90000009", "a//b/c", "a/b/c/d/e", "a b/c/d/e"):
        response = Api(citizen, im_client=bad).get("/services")
        assert response.status_code == 400, bad
        body = assert_conforms(response, "/services", "get")
        assert body["code"] == "invalid_information_mediator_client"


def test_malformed_header_changes_nothing(procedure, citizen):
    client = Api(citizen, im_client="nope")
    urls = upload_required(Api(citizen), procedure)
    response = client.post(f"/services/{procedure.uuid}/applications",
                           submit_body(citizen, procedure, urls))
    assert response.status_code == 400
    assert citizen.dossiers.count() == 0


def test_information_mediator_client_is_echoed_and_audited(submitted, counter_a):
    response = Api(counter_a).post(f"/tasks/{submitted.uuid}.0/complete", {"data": {}})
    assert response["Information-Mediator-Client"] == IM_CLIENT
    calls = AuditEvent.objects.filter(action="govstack_request", object_id=submitted.code)
    assert [(e.data["operation"], e.data["im_client"]) for e in calls] == [
        ("submitApplication", IM_CLIENT), ("completeTaskById", IM_CLIENT)]
    assert AuditEvent.objects.filter(action="receive", actor=counter_a).count() == 1


def test_header_is_optional(procedure):
    response = Api(im_client=None).get("/services")
    assert response.status_code == 200
    assert "Information-Mediator-Client" not in response


def test_revoked_or_unknown_token_is_401(procedure, citizen):
    from django.utils import timezone

    from digigov.accounts.models import ApiToken

    client = Api(citizen)
    assert client.get("/applications").status_code == 200
    ApiToken.objects.filter(user=citizen).update(revoked_at=timezone.now())
    revoked = client.get("/applications")
    assert revoked.status_code == 401
    assert_conforms(revoked, "/applications", "get")
    forged = Api().get("/applications", Authorization="Bearer dg_forged")
    assert forged.status_code == 401
    # A bad token is refused even on a public endpoint, rather than silently ignored.
    assert Api().get("/services", Authorization="Basic eDp5").status_code == 401


def test_session_authentication_with_csrf(procedure, citizen):
    session = Client(enforce_csrf_checks=True)
    assert session.login(username=citizen.email, password=PASSWORD)
    assert session.get("/api/govstack/registration/applications").status_code == 200
    refused = session.post("/api/govstack/registration/documents", {})
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"


def test_hand_over_to_an_official_without_the_role_changes_nothing(submitted, counter_a,
                                                                    counter_b):
    client = Api(counter_a)
    client.post(f"/tasks/{submitted.uuid}.0/complete", {"data": {}})
    response = client.post(f"/tasks/{submitted.uuid}.1/complete",
                           {"data": {"assigneeId": {"value": str(counter_b.uuid)}}})
    assert response.status_code == 400 and "to_user" in response.json()["fields"]
    unknown = client.post(f"/tasks/{submitted.uuid}.1/complete",
                          {"data": {"assigneeId": "7d0a1b2c-0000-4000-8000-000000000000"}})
    assert unknown.status_code == 400 and "assigneeId" in unknown.json()["fields"]
    submitted.refresh_from_db()
    assert submitted.status == Status.RECEIVED and submitted.step_records.count() == 1
    # Only the reception went through; the refused hand-overs left no trace.
    assert AuditEvent.objects.filter(action="govstack_request",
                                     data__operation="completeTaskById").count() == 1


def test_names_follow_the_request_language(procedure):
    procedure.name_en = "Birth registration"
    procedure.save()
    english = Api().get("/services", **{"Accept-Language": "en"})
    assert english.json()[0]["name"] == "Birth registration"
    assert Api().get("/services").json()[0]["name"] == "Đăng ký khai sinh"
