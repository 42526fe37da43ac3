"""Every operation of both contracts, through HTTP, validated against the spec's schemas."""

import datetime as dt

from digigov.dossiers.models import Status
from digigov.govstack.identifiers import eform_id

from .conftest import STATISTICS, Api, assert_conforms, submit_body, upload_required


# -- services and e-forms ---------------------------------------------------------
def test_list_services(procedure):
    response = Api().get("/services")
    assert response.status_code == 200
    body = assert_conforms(response, "/services", "get")
    assert [s["id"] for s in body] == [str(procedure.uuid)]
    body_props = {p["code"]: p["value"] for p in body[0]["serviceBody"]}
    assert body_props["nationalCode"] == "1.001193.000.00.00.H37"
    assert body_props["eFormId"] == eform_id(procedure.version_on())
    assert body[0]["isExecutable"] is True and body[0]["version"] == "2025-07-01"


def test_list_services_filters_by_name_without_diacritics(procedure):
    assert len(Api().get("/services", {"name": "dang ky khai sinh"}).json()) == 1
    assert Api().get("/services", {"name": "kết hôn"}).json() == []


def test_get_service_by_uuid_or_national_code(procedure):
    for service_id in (str(procedure.uuid), procedure.national_code):
        response = Api().get(f"/services/{service_id}")
        body = assert_conforms(response, "/services/{serviceId}", "get")
        assert response.status_code == 200 and body["id"] == str(procedure.uuid)


def test_get_unknown_service_is_404(procedure):
    response = Api().get("/services/7d0a1b2c-0000-4000-8000-000000000000")
    assert response.status_code == 404
    assert assert_conforms(response, "/services/{serviceId}", "get")["code"] == "not_found"


def test_unpublished_service_is_404(procedure):
    procedure.is_published = False
    procedure.save()
    assert Api().get(f"/services/{procedure.uuid}").status_code == 404
    assert Api().get("/services").json() == []


def test_list_eforms(procedure):
    response = Api().get(f"/services/{procedure.uuid}/eForms")
    assert response.status_code == 200
    body = assert_conforms(response, "/services/{serviceId}/eForms", "get")
    assert body == [{**body[0], "eFormId": eform_id(procedure.version_on()), "latest": True}]


def test_get_eform_schema_from_fields_and_components(procedure):
    version = procedure.version_on()
    response = Api().get(f"/eForms/{eform_id(version)}")
    assert response.status_code == 200
    body = assert_conforms(response, "/eForms/{eFormId}", "get")
    schema = body["schema"]
    assert schema["properties"]["birth_date"] == {"title": "Ngày sinh", "type": "string",
                                                  "format": "date", "minLength": 1}
    assert schema["required"] == ["child_name", "birth_date", "receivingAgency"]
    assert [c["const"] for c in schema["properties"]["receivingAgency"]["oneOf"]] == [
        "000.01.37.H37", "000.02.37.H37"]
    documents = schema["x-documents"]
    assert [(d["name"], d["required"]) for d in documents] == [
        ("Tờ khai đăng ký khai sinh", True), ("Giấy chứng sinh", True),
        ("Văn bản ủy quyền", False)]
    assert {d["componentId"] for d in documents} == {
        str(c.pk) for c in version.components.all()}


def test_get_unknown_eform_is_404(procedure):
    for bad in (f"{procedure.uuid}@2020-01-01", "khong-ton-tai", f"{procedure.uuid}@x"):
        response = Api().get(f"/eForms/{bad}")
        assert response.status_code == 404
        assert_conforms(response, "/eForms/{eFormId}", "get")


# -- documents and applications ---------------------------------------------------------
def test_upload_document(procedure, citizen):
    component = procedure.version_on().components.first()
    response = Api(citizen).upload(component=component.pk)
    assert response.status_code == 200
    body = assert_conforms(response, "/documents", "post")
    assert body["url"].startswith("http://testserver/api/govstack/registration/documents/")
    assert body["code"] == 200


def test_upload_refuses_a_file_that_is_not_a_document(procedure, citizen):
    response = Api(citizen).upload(b"MZ\x90\x00 executable", name="giay-to.pdf")
    assert response.status_code == 400
    body = assert_conforms(response, "/documents", "post")
    assert body["code"] == "invalid_input" and "file" in body["fields"]


def test_upload_needs_authentication(procedure):
    response = Api().upload()
    assert response.status_code == 401
    assert_conforms(response, "/documents", "post")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_submit_application(procedure, citizen):
    client = Api(citizen)
    urls = upload_required(client, procedure)
    response = client.post(f"/services/{procedure.uuid}/applications",
                           submit_body(citizen, procedure, urls))
    assert response.status_code == 200
    body = assert_conforms(response, "/services/{serviceId}/applications", "post")
    assert body["status"]["code"] == "PENDING" and body["ended"] is False
    assert body["applicantId"] == str(citizen.uuid)
    data = body["applicationData"]
    assert data["formData"]["data"]["child_name"] == {"value": "Nguyễn Văn Bé"}
    assert len(data["documentUrls"]) == 2 and set(data["documentUrls"]).isdisjoint(urls)


def test_submit_to_unknown_service_is_404(procedure, citizen):
    response = Api(citizen).post("/services/7d0a1b2c-0000-4000-8000-000000000000/applications",
                                 submit_body(citizen, procedure, []))
    assert response.status_code == 404
    assert_conforms(response, "/services/{serviceId}/applications", "post")


def test_submit_with_missing_component_changes_nothing(procedure, citizen):
    client = Api(citizen)
    urls = upload_required(client, procedure)[:1]
    response = client.post(f"/services/{procedure.uuid}/applications",
                           submit_body(citizen, procedure, urls))
    assert response.status_code == 400
    body = assert_conforms(response, "/services/{serviceId}/applications", "post")
    assert any(key.startswith("component_") for key in body["fields"])
    assert citizen.dossiers.count() == 0
    # The upload is still staged: a corrected submission can use it.
    assert client.get(urls[0].removeprefix("http://testserver/api/govstack/registration")
                      ).status_code == 200


def test_submit_refuses_bad_form_and_foreign_applicant(procedure, citizen, other_citizen):
    client = Api(citizen)
    urls = upload_required(client, procedure)
    path = f"/services/{procedure.uuid}/applications"
    bad_date = client.post(path, submit_body(citizen, procedure, urls,
                                             birth_date={"value": "01/03/2026"}))
    assert bad_date.status_code == 400
    assert "birth_date" in assert_conforms(bad_date, "/services/{serviceId}/applications",
                                           "post")["fields"]
    unknown = client.post(path, submit_body(citizen, procedure, urls, nickname="Bi"))
    assert unknown.status_code == 400 and "formData.data.nickname" in unknown.json()["fields"]
    foreign = client.post(path, submit_body(other_citizen, procedure, urls))
    assert foreign.status_code == 403
    assert_conforms(foreign, "/services/{serviceId}/applications", "post")
    assert client.post(path, {"formData": {}}).status_code == 400
    assert client.client.post("/api/govstack/registration" + path, "{not json",
                              content_type="application/json",
                              headers=client.headers).status_code == 400
    assert citizen.dossiers.count() == 0


def test_official_cannot_submit_online(procedure, counter_a):
    client = Api(counter_a)
    response = client.post(f"/services/{procedure.uuid}/applications",
                           submit_body(counter_a, procedure, []))
    assert response.status_code == 403


def test_list_applications(submitted, citizen):
    response = Api(citizen).get("/applications")
    assert response.status_code == 200
    body = assert_conforms(response, "/applications", "get")
    assert [a["fileId"] for a in body] == [str(submitted.uuid)]
    meta = body[0]["additionalMeta"]["data"]
    assert meta["dossierCode"] == {"value": submitted.code}
    assert meta["nationalStatus"] == {"value": Status.NEW}
    assert body[0]["taskTitle"] == "Tiếp nhận hồ sơ" and body[0]["roleId"] == "counter_officer"


def test_list_applications_filters_sort_and_pages(submitted, procedure, citizen, other_citizen):
    client = Api(citizen)
    assert len(client.get("/applications", {"serviceId": str(procedure.uuid)}).json()) == 1
    assert len(client.get("/applications", {"serviceId": procedure.national_code}).json()) == 1
    assert client.get("/applications", {"applicantId": str(other_citizen.uuid)}).json() == []
    assert client.get("/applications", {"firstResult": 1}).json() == []
    sorted_ = client.get("/applications", {"sortBy": "dueDate", "sortOrder": "desc"})
    assert sorted_.status_code == 200 and len(sorted_.json()) == 1
    for params in ({"sortBy": "created"}, {"sortBy": "priority", "sortOrder": "asc"},
                   {"maxResult": 0}, {"firstResult": "x"}, {"applicantId": "abc"}):
        response = client.get("/applications", params)
        assert response.status_code == 400, params
        assert_conforms(response, "/applications", "get")


def test_list_applications_needs_authentication(submitted):
    response = Api().get("/applications")
    assert response.status_code == 401
    assert_conforms(response, "/applications", "get")


def test_get_application(submitted, citizen):
    response = Api(citizen).get(f"/applications/{submitted.uuid}")
    assert response.status_code == 200
    body = assert_conforms(response, "/applications/{fileId}", "get")
    assert body["serviceId"] == str(submitted.procedure.uuid)


def test_get_unknown_application_is_404(citizen):
    for file_id in ("7d0a1b2c-0000-4000-8000-000000000000", "not-a-uuid"):
        response = Api(citizen).get(f"/applications/{file_id}")
        assert response.status_code == 404
        assert_conforms(response, "/applications/{fileId}", "get")


def test_put_application_supplies_a_supplement(submitted, procedure, counter_a, citizen):
    officer = Api(counter_a)
    task_id = officer.get("/tasks").json()[0]["taskId"]
    sent_back = officer.post(f"/tasks/{task_id}/complete", {"data": {
        "decision": {"value": "sendBack"}, "reason": {"value": "Ảnh giấy chứng sinh bị mờ"},
        "items": {"value": ["Giấy chứng sinh"]}}})
    assert sent_back.status_code == 200 and sent_back.json()["status"]["code"] == "SENDBACK"

    applicant = Api(citizen)
    component = procedure.version_on().components.get(order=2)
    url = applicant.upload(component=component.pk).json()["url"]
    body = submit_body(citizen, procedure, [url], child_name={"value": "Nguyễn Văn Bé Hai"})
    del body["formData"]["data"]["receivingAgency"]
    response = applicant.put(f"/applications/{submitted.uuid}", body)
    assert response.status_code == 200
    result = assert_conforms(response, "/applications/{fileId}", "put")
    assert result["status"]["code"] == "PENDING"
    assert result["applicationData"]["formData"]["data"]["child_name"] == {
        "value": "Nguyễn Văn Bé Hai"}
    assert len(result["applicationData"]["documentUrls"]) == 3


def test_put_application_outside_a_supplement_is_refused(submitted, citizen, procedure):
    body = submit_body(citizen, procedure, [])
    del body["formData"]["data"]["receivingAgency"]
    response = Api(citizen).put(f"/applications/{submitted.uuid}", body)
    assert response.status_code == 409
    assert_conforms(response, "/applications/{fileId}", "put")
    missing = Api(citizen).put("/applications/7d0a1b2c-0000-4000-8000-000000000000", body)
    assert missing.status_code == 404
    assert_conforms(missing, "/applications/{fileId}", "put")


# -- tasks -------------------------------------------------------------------------------
def test_list_tasks(submitted, counter_a):
    response = Api(counter_a).get("/tasks")
    assert response.status_code == 200
    body = assert_conforms(response, "/tasks", "get")
    assert [(t["taskId"], t["fileId"], t["roleId"]) for t in body] == [
        (f"{submitted.uuid}.0", str(submitted.uuid), "counter_officer")]


def test_list_tasks_filters(submitted, counter_a):
    client = Api(counter_a)
    assert len(client.get("/tasks", {"fileId": str(submitted.uuid)}).json()) == 1
    assert len(client.get("/tasks", {"mainTaskId": str(submitted.uuid)}).json()) == 1
    assert client.get("/tasks", {"fileId": "7d0a1b2c-0000-4000-8000-000000000000"}).json() == []
    assert client.get("/tasks", {"assigneeId": str(counter_a.uuid)}).json() == []
    bad = client.get("/tasks", {"sortBy": "name", "sortOrder": "sideways"})
    assert bad.status_code == 400
    assert_conforms(bad, "/tasks", "get")


def test_get_task(submitted, counter_a):
    response = Api(counter_a).get(f"/tasks/{submitted.uuid}.0")
    assert response.status_code == 200
    body = assert_conforms(response, "/tasks/{taskId}", "get")
    assert body["data"]["action"] == {"value": "receive"}
    assert body["formVariables"]["birth_date"] == {"value": "2026-03-01"}


def test_get_unknown_or_stale_task_is_404(submitted, counter_a):
    for task_id in (f"{submitted.uuid}.1", "abc", f"{submitted.uuid}"):
        response = Api(counter_a).get(f"/tasks/{task_id}")
        assert response.status_code == 404
        assert_conforms(response, "/tasks/{taskId}", "get")


def test_complete_task(submitted, counter_a):
    response = Api(counter_a).post(f"/tasks/{submitted.uuid}.0/complete", {"data": {}})
    assert response.status_code == 200
    body = assert_conforms(response, "/tasks/{taskId}/complete", "post")
    assert body["taskId"] == f"{submitted.uuid}.0"
    assert body["variables"]["nextTask"]["data"]["taskId"] == {"value": f"{submitted.uuid}.1"}
    submitted.refresh_from_db()
    assert submitted.status == Status.RECEIVED


def test_complete_stale_task_is_404_and_changes_nothing(submitted, counter_a):
    client = Api(counter_a)
    assert client.post(f"/tasks/{submitted.uuid}.0/complete", {"data": {}}).status_code == 200
    again = client.post(f"/tasks/{submitted.uuid}.0/complete", {"data": {}})
    assert again.status_code == 404
    assert_conforms(again, "/tasks/{taskId}/complete", "post")
    assert submitted.step_records.count() == 1


def test_complete_task_with_bad_decision(submitted, counter_a):
    response = Api(counter_a).post(f"/tasks/{submitted.uuid}.0/complete",
                                   {"data": {"decision": {"value": "maybe"}}})
    assert response.status_code == 400
    assert_conforms(response, "/tasks/{taskId}/complete", "post")
    bad_shape = Api(counter_a).post(f"/tasks/{submitted.uuid}.0/complete",
                                    {"data": {"decision": {"v": "approve"}}})
    assert bad_shape.status_code == 400


def test_citizen_cannot_complete_their_own_task(submitted, citizen):
    response = Api(citizen).post(f"/tasks/{submitted.uuid}.0/complete", {"data": {}})
    assert response.status_code == 403
    assert_conforms(response, "/tasks/{taskId}/complete", "post")
    submitted.refresh_from_db()
    assert submitted.status == Status.NEW
    assert Api(citizen).get("/tasks").json() == []


# -- statistics ----------------------------------------------------------------------------
def test_statistics(submitted, counter_a):
    Api(counter_a).post(f"/tasks/{submitted.uuid}.0/complete",
                        {"data": {"decision": {"value": "reject"},
                                  "reason": {"value": "Không thuộc thẩm quyền"}}})
    response = Api().get("/data/statistics")
    assert response.status_code == 200
    body = assert_conforms(response, "/data/statistics", "get", spec=STATISTICS)
    assert [(s["processed"], s["approved"], s["sentBack"], s["rejected"]) for s in body] == [
        (1, 0, 0, 1)]


def test_statistics_bad_input_is_400(procedure):
    for params in ({"startDate": "2026-13-01"}, {"timeframe": "fortnight"},
                   {"startDate": "2026-03-02", "endDate": "2026-03-01"},
                   {"startDate": "2020-01-01", "endDate": "2026-01-01", "timeframe": "day"},
                   {"role": "Handler"}):
        response = Api().get("/data/statistics", params)
        assert response.status_code == 400, params
        assert_conforms(response, "/data/statistics", "get", spec=STATISTICS)


def test_statistics_periods_are_clipped_to_the_range(procedure):
    response = Api().get("/data/statistics", {"startDate": "2026-01-15", "endDate": "2026-03-10",
                                              "timeframe": "month"})
    body = assert_conforms(response, "/data/statistics", "get", spec=STATISTICS)
    assert [(s["references"]["startDate"], s["references"]["endDate"]) for s in body] == [
        ("2026-01-15", "2026-01-31"), ("2026-02-01", "2026-02-28"), ("2026-03-01", "2026-03-10")]
    assert all(s["references"]["timeframeMonth"] for s in body)
    assert dt.date.fromisoformat(body[0]["references"]["startDate"])


# -- the rest of the URL space -------------------------------------------------------------
def test_unknown_path_and_method_answer_in_the_error_shape(procedure):
    missing = Api().get("/nowhere")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    wrong_method = Api().post("/services")
    assert wrong_method.status_code == 405 and wrong_method["Allow"] == "GET"


def test_specs_are_served_unchanged():
    from digigov.govstack.views.specs import REGISTRATION_SPEC

    response = Api().get("/openapi.json")
    assert response.content == REGISTRATION_SPEC.read_bytes()
