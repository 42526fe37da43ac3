"""Dossiers through HTTP: submission, scoped list and filters, detail, timeline, control sheet."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from digigov.dossiers import services
from digigov.dossiers.models import Dossier, Status
from tests.api.conftest import assert_problem, client_for, submission
from tests.conftest import FORM, PNG_BYTES, component_files, vn


# -- submission ---------------------------------------------------------------------
def test_citizen_submits_online(citizen_api, citizen, procedure, commune_a):
    response = citizen_api.post_multipart("/api/v1/dossiers", submission(procedure, commune_a))
    assert response.status_code == 201, response.content
    body = response.json()
    dossier = Dossier.objects.get()
    assert body["code"] == dossier.code
    assert response["Location"] == f"/api/v1/dossiers/{dossier.code}"
    assert body["status"] == Status.NEW and body["channel"] == 2
    assert body["applicant"]["id_number"] == citizen.personal_id
    assert body["form_data"] == FORM
    assert len(body["files"]) == 2 and body["files"][0]["content_type"] == "application/pdf"
    assert body["fee_amount"] == 4000
    assert body["submitted_at"].endswith("+07:00")
    assert dossier.applicant == citizen


def test_counter_officer_registers_and_receives(counter_api, counter_a, procedure, commune_a):
    data = submission(procedure, commune_a, applicant_name="Lê Văn C",
                      applicant_id_number="020190009999", applicant_phone="0987654321",
                      channel="3")
    response = counter_api.post_multipart("/api/v1/dossiers", data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == Status.RECEIVED and body["channel"] == 3
    assert body["applicant"]["name"] == "Lê Văn C"
    assert body["due_at"] is not None and body["current_step"] == "Tiếp nhận hồ sơ"
    assert Dossier.objects.get().received_by == counter_a


def test_counter_officer_can_register_without_receiving(counter_api, procedure, commune_a):
    data = submission(procedure, commune_a, applicant_name="Lê Văn C",
                      applicant_id_number="020190009999", receive_now="false")
    response = counter_api.post_multipart("/api/v1/dossiers", data)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == Status.NEW


def test_counter_submission_needs_applicant_and_agency(counter_api, procedure, commune_a):
    body = assert_problem(counter_api.post_multipart("/api/v1/dossiers",
                                                     submission(procedure, commune_a)),
                          422, "invalid_input")
    assert set(body["errors"]) == {"applicant_name", "applicant_id_number"}
    data = submission(procedure, commune_a, applicant_name="Lê Văn C",
                      applicant_id_number="020190009999")
    del data["agency"]
    body = assert_problem(counter_api.post_multipart("/api/v1/dossiers", data), 422)
    assert "agency" in body["errors"]
    assert not Dossier.objects.exists()


def test_official_without_counter_role_cannot_submit(specialist_a, procedure, commune_a):
    data = submission(procedure, commune_a, applicant_name="Lê Văn C",
                      applicant_id_number="020190009999")
    assert_problem(client_for(specialist_a).post_multipart("/api/v1/dossiers", data), 403,
                   "forbidden")
    assert not Dossier.objects.exists()


def test_citizen_may_not_send_counter_fields(citizen_api, procedure, commune_a):
    data = submission(procedure, commune_a, applicant_name="Ai đó", channel="1")
    body = assert_problem(citizen_api.post_multipart("/api/v1/dossiers", data), 422)
    assert set(body["errors"]) == {"applicant_name", "channel"}
    assert not Dossier.objects.exists()


def test_file_type_is_checked_by_content(citizen_api, procedure, commune_a):
    data = submission(procedure, commune_a)
    component = procedure.version_on().components.get(order=1)
    # A text file named .pdf is still a text file.
    data[f"component_{component.pk}"] = SimpleUploadedFile("to-khai.pdf", b"just some text",
                                                           content_type="application/pdf")
    body = assert_problem(citizen_api.post_multipart("/api/v1/dossiers", data), 422,
                          "invalid_input")
    assert list(body["errors"]) == [f"component_{component.pk}"]
    assert not Dossier.objects.exists()
    data = submission(procedure, commune_a)
    data[f"component_{component.pk}"] = SimpleUploadedFile("scan.png", PNG_BYTES)
    assert citizen_api.post_multipart("/api/v1/dossiers", data).status_code == 201


def test_submission_input_errors_are_field_level(citizen_api, procedure, commune_a):
    cases = [
        ({"form_data": "{not json"}, "form_data"),
        ({"form_data": json.dumps({"child_name": "Bé"})}, "birth_date"),
        ({"form_data": json.dumps({**FORM, "birth_date": "01/03/2026"})}, "birth_date"),
        ({"procedure": "0.000000"}, "procedure"),
        ({"agency": "000.99.99.H99"}, "agency"),
        ({"component_9999": SimpleUploadedFile("x.pdf", b"%PDF-1.4 x")}, "component_9999"),
        ({"attachment": SimpleUploadedFile("x.pdf", b"%PDF-1.4 x")}, "attachment"),
    ]
    for change, field in cases:
        body = assert_problem(
            citizen_api.post_multipart("/api/v1/dossiers", submission(procedure, commune_a,
                                                                      **change)), 422)
        assert field in body["errors"], (change, body)
    missing = submission(procedure, commune_a)
    required = procedure.version_on().components.get(order=2)
    del missing[f"component_{required.pk}"]
    body = assert_problem(citizen_api.post_multipart("/api/v1/dossiers", missing), 422)
    assert f"component_{required.pk}" in body["errors"]
    assert not Dossier.objects.exists()


# -- reading ---------------------------------------------------------------------------
def _codes(response):
    assert response.status_code == 200, response.content
    return [d["code"] for d in response.json()["items"]]


def _dossier(procedure, agency, citizen, officer, *, at, receive=True):
    d = services.submit_online(applicant=citizen, procedure=procedure, form_data=FORM,
                               files=component_files(procedure), agency=agency, now=at)
    return services.receive(officer=officer, dossier=d, now=at) if receive else d


def test_list_is_scoped_to_what_the_caller_may_see(procedure, commune_a, commune_b, citizen,
                                                   other_citizen, counter_a, counter_b):
    in_a = _dossier(procedure, commune_a, citizen, counter_a, at=vn(2026, 3, 2, 9))
    in_b = _dossier(procedure, commune_b, other_citizen, counter_b, at=vn(2026, 3, 2, 10))
    assert _codes(client_for(counter_a).get("/api/v1/dossiers")) == [in_a.code]
    assert _codes(client_for(counter_b).get("/api/v1/dossiers")) == [in_b.code]
    assert _codes(client_for(citizen).get("/api/v1/dossiers")) == [in_a.code]
    assert_problem(client_for(counter_a).get(f"/api/v1/dossiers/{in_b.code}"), 404, "not_found")
    assert_problem(client_for(counter_a).get(f"/api/v1/dossiers/{in_b.code}/events"), 404)
    assert_problem(client_for(counter_a).get(f"/api/v1/dossiers/{in_b.code}/control-sheet"), 404)
    missing = assert_problem(client_for(counter_a).get("/api/v1/dossiers/NO-SUCH"), 404)
    hidden = assert_problem(client_for(counter_a).get(f"/api/v1/dossiers/{in_b.code}"), 404)
    assert missing["title"] == hidden["title"]  # existence is not revealed


def test_list_filters(procedure, commune_a, citizen, counter_a):
    old = _dossier(procedure, commune_a, citizen, counter_a, at=vn(2026, 3, 2, 9))
    later = _dossier(procedure, commune_a, citizen, counter_a, at=vn(2026, 3, 10, 9))
    fresh = _dossier(procedure, commune_a, citizen, counter_a, at=vn(2026, 3, 11, 9),
                     receive=False)
    api = client_for(counter_a)
    url = "/api/v1/dossiers"
    assert _codes(api.get(url)) == [fresh.code, later.code, old.code]
    assert _codes(api.get(url, {"status": 1})) == [fresh.code]
    assert _codes(api.get(f"{url}?status=1&status=2")) == [fresh.code, later.code, old.code]
    assert _codes(api.get(url, {"procedure": procedure.national_code})) == [
        fresh.code, later.code, old.code]
    assert _codes(api.get(url, {"procedure": "other"})) == []
    assert _codes(api.get(url, {"agency": commune_a.code})) == [fresh.code, later.code, old.code]
    assert _codes(api.get(url, {"received_from": "2026-03-03"})) == [later.code]
    assert _codes(api.get(url, {"received_to": "2026-03-02"})) == [old.code]
    assert _codes(api.get(url, {"received_from": "2026-03-02", "received_to": "2026-03-10"})) == [
        later.code, old.code]
    # Received 2 March 09:00, three working days: due 5 March 09:00 (Vietnam time).
    assert _codes(api.get(url, {"due_before": "2026-03-06T00:00:00+07:00"})) == [old.code]
    assert _codes(api.get(url, {"due_before": "2026-03-05T09:00:00"})) == []
    assert _codes(api.get(url, {"overdue": "true"})) == [later.code, old.code]
    assert _codes(api.get(url, {"overdue": "false"})) == [fresh.code]
    body = assert_problem(api.get(url, {"received_from": "hôm qua"}), 422)
    assert "received_from" in body["errors"]


def test_detail_events_and_control_sheet(procedure, commune_a, citizen, counter_a,
                                         specialist_a):
    d = _dossier(procedure, commune_a, citizen, counter_a, at=vn(2026, 3, 2, 9))
    services.hand_over(official=counter_a, dossier=d, to_user=specialist_a,
                       now=vn(2026, 3, 2, 11))
    api = client_for(citizen)

    detail = api.get(f"/api/v1/dossiers/{d.code}").json()
    assert detail["status"] == Status.PROCESSING
    assert detail["received_at"] == "2026-03-02T09:00:00+07:00"
    assert detail["due_at"] == "2026-03-05T09:00:00+07:00"
    assert detail["current_step"] == "Thẩm định hồ sơ"
    assert detail["current_agency"]["code"] == commune_a.code
    assert detail["overdue"] is True

    events = api.get(f"/api/v1/dossiers/{d.code}/events").json()
    assert [e["action"] for e in events] == ["submit", "receive", "hand_over"]
    assert events[1]["from_status"] == Status.NEW and events[1]["to_status"] == Status.RECEIVED
    assert events[1]["actor"]["uuid"] == str(counter_a.uuid)
    assert events[2]["data"]["step"] == "Thẩm định hồ sơ"

    sheet = api.get(f"/api/v1/dossiers/{d.code}/control-sheet").json()
    assert sheet["dossier_code"] == d.code
    first, second = sheet["rows"]
    assert first["step"] == "Tiếp nhận hồ sơ" and first["timeliness"] == "on_time"
    assert first["handed_over_at"] == "2026-03-02T09:00:00+07:00"
    assert first["handed_to"]["uuid"] == str(specialist_a.uuid)
    assert first["provisional"] is False
    assert second["giver"]["uuid"] == str(counter_a.uuid)
    # Still open, twelve working hours from 2 March 11:00 are long past: late so far.
    assert second["provisional"] is True and second["timeliness"] == "late"
