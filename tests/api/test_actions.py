"""Actions on a dossier through HTTP: the happy paths, and every refusal changing nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from digigov.audit.models import AuditEvent
from digigov.dossiers import services
from digigov.dossiers.models import Dossier, Rating, Status
from tests.api.conftest import assert_problem, client_for
from tests.conftest import pdf

SCORES = {key: 2 for key, _label in Rating.INDICATORS}


def url(dossier, action):
    return f"/api/v1/dossiers/{dossier.code}/{action}"


def snapshot(dossier):
    fresh = Dossier.objects.get(pk=dossier.pk)
    events = AuditEvent.objects.filter(object_id=dossier.code).count()
    return (fresh.status, fresh.updated_at, fresh.supplement_count, fresh.due_at,
            fresh.apology_due_at, events, fresh.step_records.count(), fresh.files.count())


def refused(api, dossier, action, payload, status, code=None, *, multipart=False):
    """POST the action; it must answer the problem and leave the dossier untouched."""
    before = snapshot(dossier)
    if multipart:
        response = api.post_multipart(url(dossier, action), payload)
    else:
        response = api.post(url(dossier, action), payload)
    body = assert_problem(response, status, code)
    assert snapshot(dossier) == before
    return body


def test_full_walk_from_submission_to_rating(new_dossier, citizen, counter_a, specialist_a,
                                             leader_a):
    counter, specialist, leader = (client_for(u) for u in (counter_a, specialist_a, leader_a))
    d = new_dossier
    body = counter.post(url(d, "receive")).json()
    assert body["status"] == Status.RECEIVED and body["due_at"]
    body = counter.post(url(d, "hand-over"), {"to_user": specialist_a.email,
                                              "note": "Đủ giấy tờ"}).json()
    assert body["status"] == Status.PROCESSING and body["current_step"] == "Thẩm định hồ sơ"
    body = specialist.post(url(d, "hand-over"), {"to_user": str(leader_a.uuid)}).json()
    assert body["current_step"] == "Phê duyệt"
    body = leader.post(url(d, "complete"), {"result_summary": "Cấp giấy khai sinh"}).json()
    assert body["status"] == Status.PROCESSED and body["result_summary"] == "Cấp giấy khai sinh"
    assert body["timeliness"] in ("early", "on_time")
    body = counter.post(url(d, "return-result")).json()
    assert body["status"] == Status.RETURNED and body["returned_at"]
    body = client_for(citizen).post(url(d, "rate"), {"scores": SCORES, "comment": "Tốt"}).json()
    assert body["rating"]["total"] == 18 and body["rating"]["comment"] == "Tốt"
    actions = [e.action for e in AuditEvent.objects.filter(object_id=d.code)]
    assert actions == ["submit", "receive", "hand_over", "hand_over", "complete",
                       "return_result", "rate"]


def test_supplement_round_trip(received_dossier, citizen, counter_a, procedure):
    d = received_dossier
    body = client_for(counter_a).post(url(d, "request-supplement"), {
        "reason": "Giấy chứng sinh mờ", "items": ["Giấy chứng sinh bản rõ"]}).json()
    assert body["status"] == Status.SUPPLEMENT_REQUESTED
    assert body["supplements"][0]["items"] == ["Giấy chứng sinh bản rõ"]
    component = procedure.version_on().components.get(order=2)
    response = client_for(citizen).post_multipart(url(d, "supply-supplement"), {
        f"component_{component.pk}": pdf("chung-sinh.pdf")})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == Status.RECEIVED
    assert body["supplements"][0]["supplied_at"]
    assert [f["is_supplement"] for f in body["files"]].count(True) == 1


def test_financial_obligation_round_trip(received_dossier, counter_a):
    api = client_for(counter_a)
    d = received_dossier
    body = api.post(url(d, "request-financial-obligation"),
                    {"amount": 50000, "reason": "Lệ phí cấp bản sao"}).json()
    assert body["status"] == Status.FINANCIAL_OBLIGATION
    assert body["financial_obligations"][0]["amount"] == 50000
    body = api.post(url(d, "fulfil-financial-obligation"), {"reference": "BL-0012"}).json()
    assert body["status"] == Status.PROCESSING
    assert body["financial_obligations"][0]["fulfilled_reference"] == "BL-0012"


def test_apology_sets_a_new_appointment(received_dossier, counter_a):
    new_due = received_dossier.due_at + dt.timedelta(days=2)
    body = client_for(counter_a).post(url(received_dossier, "apologise"), {
        "reason": "Chờ xác minh", "new_due_at": new_due.isoformat()}).json()
    assert body["apology_due_at"] is not None
    assert dt.datetime.fromisoformat(body["apology_due_at"]) == new_due.replace(microsecond=0)
    assert body["apologies"][0]["reason"] == "Chờ xác minh"


def test_refuse_withdraw_and_stop(new_dossier, received_dossier_b, citizen, counter_a, leader_a):
    body = client_for(counter_a).post(url(new_dossier, "refuse"),
                                      {"reason": "Không thuộc thẩm quyền"}).json()
    assert body["status"] == Status.NOT_RECEIVED and body["closing_reason"]
    body = client_for(leader_a).post(url(received_dossier_b, "stop"),
                                     {"reason": "Quá hạn bổ sung"}).json()
    assert body["status"] == Status.STOPPED


def test_applicant_withdraws(new_dossier, citizen):
    body = client_for(citizen).post(url(new_dossier, "withdraw"), {"reason": "Nộp nhầm"}).json()
    assert body["status"] == Status.WITHDRAWN


@pytest.fixture
def received_dossier_b(procedure, commune_a, citizen, counter_a):
    d = services.submit_online(applicant=citizen, procedure=procedure,
                               form_data={"child_name": "Bé Hai", "birth_date": "2026-03-02"},
                               files={str(c.pk): pdf() for c in
                                      procedure.version_on().components.filter(required=True)},
                               agency=commune_a)
    return services.receive(officer=counter_a, dossier=d)


# -- refusals ----------------------------------------------------------------------------
def test_reception_refusals(new_dossier, received_dossier_b, citizen, counter_a, specialist_a):
    refused(client_for(specialist_a), new_dossier, "receive", {}, 403, "forbidden")
    refused(client_for(citizen), new_dossier, "receive", {}, 403, "forbidden")
    refused(client_for(counter_a), received_dossier_b, "receive", {}, 409, "invalid_transition")
    body = refused(client_for(counter_a), new_dossier, "refuse", {"reason": "  "}, 422)
    assert "reason" in body["errors"]
    body = refused(client_for(counter_a), new_dossier, "refuse", {}, 422, "invalid_input")
    assert body["errors"] == {"reason": ["Bắt buộc."]}
    refused(client_for(counter_a), received_dossier_b, "refuse", {"reason": "x"}, 409)


def test_other_commune_cannot_see_or_act(received_dossier, counter_b, commune_b):
    api = client_for(counter_b)
    for action, payload in [("receive", {}), ("refuse", {"reason": "x"}),
                            ("hand-over", {}), ("withdraw", {"reason": "x"}),
                            ("stop", {"reason": "x"}), ("complete", {"result_summary": "x"})]:
        refused(api, received_dossier, action, payload, 404, "not_found")


def test_supplement_refusals(received_dossier, citizen, other_citizen, counter_a, procedure):
    counter = client_for(counter_a)
    body = refused(counter, received_dossier, "request-supplement",
                   {"reason": "Thiếu", "items": []}, 422)
    assert "items" in body["errors"]
    component = procedure.version_on().components.get(order=2)
    refused(client_for(citizen), received_dossier, "supply-supplement",
            {f"component_{component.pk}": pdf()}, 409, multipart=True)
    counter.post(url(received_dossier, "request-supplement"), {"reason": "Thiếu",
                                                               "items": ["Giấy chứng sinh"]})
    refused(counter, received_dossier, "request-supplement",
            {"reason": "Lần hai", "items": ["Khác"]}, 409, "invalid_transition")
    refused(client_for(other_citizen), received_dossier, "supply-supplement",
            {f"component_{component.pk}": pdf()}, 404, multipart=True)
    body = refused(client_for(citizen), received_dossier, "supply-supplement", {}, 422,
                   multipart=True)
    assert "files" in body["errors"]
    body = refused(client_for(citizen), received_dossier, "supply-supplement",
                   {f"component_{component.pk}": SimpleUploadedFile("a.pdf", b"plain text")},
                   422, multipart=True)
    assert f"component_{component.pk}" in body["errors"]


def test_processing_refusals(received_dossier, citizen, counter_a, specialist_a, counter_b):
    counter = client_for(counter_a)
    d = received_dossier
    body = refused(counter, d, "hand-over", {"to_user": "nobody@example.vn"}, 422)
    assert "to_user" in body["errors"]
    # Holds no role at the unit of the next step.
    body = refused(counter, d, "hand-over", {"to_user": counter_b.email}, 422)
    assert "to_user" in body["errors"]
    refused(client_for(specialist_a), d, "hand-over", {}, 403, "forbidden")
    refused(counter, d, "complete", {"result_summary": "Xong"}, 409, "invalid_transition")
    refused(client_for(citizen), d, "complete", {"result_summary": "Xong"}, 403)
    refused(counter, d, "return-result", {}, 409)
    refused(counter, d, "fulfil-financial-obligation", {"reference": "BL-1"}, 409)
    body = refused(counter, d, "request-financial-obligation", {"amount": 0, "reason": "x"}, 422)
    assert "amount" in body["errors"]
    refused(counter, d, "stop", {"reason": "x"}, 403, "forbidden")
    refused(client_for(citizen), d, "rate", {"scores": SCORES}, 409)


def test_last_step_and_closing_refusals(received_dossier, citizen, counter_a, specialist_a,
                                        leader_a):
    d = received_dossier
    client_for(counter_a).post(url(d, "hand-over"), {"to_user": specialist_a.email})
    client_for(specialist_a).post(url(d, "hand-over"), {"to_user": leader_a.email})
    refused(client_for(leader_a), d, "hand-over", {}, 409, "invalid_transition")
    body = refused(client_for(leader_a), d, "complete", {"result_summary": ""}, 422)
    assert "result_summary" in body["errors"]
    client_for(leader_a).post(url(d, "complete"), {"result_summary": "Cấp giấy khai sinh"})
    refused(client_for(citizen), d, "withdraw", {"reason": "Muộn rồi"}, 409)
    body = refused(client_for(citizen), d, "rate", {"scores": {"total_time": 2}}, 422)
    assert "attitude" in body["errors"]
    refused(client_for(counter_a), d, "rate", {"scores": SCORES}, 403)
    client_for(citizen).post(url(d, "rate"), {"scores": SCORES})
    refused(client_for(citizen), d, "rate", {"scores": SCORES}, 409)


def test_apology_refusals(new_dossier, received_dossier_b, counter_a):
    api = client_for(counter_a)
    earlier = received_dossier_b.due_at - dt.timedelta(hours=1)
    body = refused(api, received_dossier_b, "apologise",
                   {"reason": "Chậm", "new_due_at": earlier.isoformat()}, 422)
    assert "new_due_at" in body["errors"]
    naive = (received_dossier_b.due_at + dt.timedelta(days=1)).replace(tzinfo=None)
    refused(api, received_dossier_b, "apologise",
            {"reason": "Chậm", "new_due_at": naive.isoformat()}, 422)
    body = refused(api, received_dossier_b, "apologise",
                   {"reason": "Chậm", "new_due_at": "ngày mai"}, 422)
    assert "new_due_at" in body["errors"]
    refused(api, new_dossier, "apologise",
            {"reason": "Chậm", "new_due_at": "2099-01-01T08:00:00+07:00"}, 409)
