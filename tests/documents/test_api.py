"""/api/v1/documents through HTTP."""

import base64
import datetime as dt

import pytest

from digigov.documents.models import IncomingDocument, OutgoingDocument
from digigov.signing.verification import verify_pdf
from tests.api.conftest import assert_problem, client_for
from tests.signing.sample_pdf import one_page_pdf

from .conftest import clear

pytestmark = pytest.mark.django_db


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


DRAFT = {"agency_code": "000.01.37.H37", "type_code": "QĐ",
         "subject": "Về việc thành lập tổ công tác chuyển đổi số",
         "body": "Điều 1. Thành lập tổ công tác.\n\nĐiều 2. Quyết định có hiệu lực từ ngày ký.",
         "drafting_unit": "VP"}


def test_outgoing_journey_over_http(certificates, specialist_a, leader_a, clerk_a, commune_a):
    specialist, leader, clerk = (client_for(u) for u in (specialist_a, leader_a, clerk_a))
    response = specialist.post("/api/v1/documents/outgoing", {
        **DRAFT, "attachments": [{"filename": "pl.pdf", "content_base64": b64(one_page_pdf())}]})
    assert response.status_code == 201, response.content
    uuid = response.json()["uuid"]
    assert response.json()["status"] == "draft"
    response = specialist.post(f"/api/v1/documents/outgoing/{uuid}/submit",
                               {"approver_uuid": str(leader_a.uuid)})
    assert response.json()["status"] == "pending_approval"
    assert leader.post(f"/api/v1/documents/outgoing/{uuid}/review",
                       {"accept": True}).json()["status"] == "approved"
    response = leader.post(f"/api/v1/documents/outgoing/{uuid}/sign",
                           {"signer_title": "Chủ tịch", "authority": "TM.",
                            "authority_of": "Ủy ban nhân dân"})
    assert response.json()["number_notation"] == "01/QĐ-UBND"
    response = clerk.post(f"/api/v1/documents/outgoing/{uuid}/issue", {})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "issued"
    pdf = specialist.get(f"/api/v1/documents/outgoing/{uuid}/pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert verify_pdf(pdf.content).valid
    listing = specialist.get("/api/v1/documents/outgoing", {"q": "chuyen doi so"}).json()
    assert listing["count"] == 1 and listing["items"][0]["notation"] == "QĐ-UBND"
    register = clerk.get("/api/v1/documents/registers/out",
                         {"agency_code": "000.01.37.H37", "year": dt.date.today().year}).json()
    assert len(register["columns"]) == 10 and register["rows"][0][0] == "01/QĐ-UBND"
    assert clerk.get("/api/v1/documents/registers/out", {
        "agency_code": "000.01.37.H37", "year": dt.date.today().year,
        "format": "pdf"})["Content-Type"] == "application/pdf"


def test_outgoing_problems(specialist_a, leader_a, counter_b, commune_a):
    api = client_for(specialist_a)
    assert_problem(api.post("/api/v1/documents/outgoing", {**DRAFT, "type_code": "XX"}), 422,
                   "invalid_input")
    assert_problem(client_for(counter_b).post("/api/v1/documents/outgoing", DRAFT), 403)
    uuid = api.post("/api/v1/documents/outgoing", DRAFT).json()["uuid"]
    assert_problem(client_for(counter_b).get(f"/api/v1/documents/outgoing/{uuid}"), 404)
    assert_problem(client_for(leader_a).post(f"/api/v1/documents/outgoing/{uuid}/review",
                                             {"accept": True}), 409)
    assert_problem(api.post("/api/v1/documents/outgoing", {
        **DRAFT, "attachments": [{"filename": "a.pdf", "content_base64": "***"}]}), 422)
    assert_problem(client_for(counter_b).get("/api/v1/documents/registers/out", {
        "agency_code": "000.01.37.H37", "year": 2026}), 403)
    response = client_for(specialist_a).client.get("/api/v1/documents/outgoing")
    assert_problem(response, 401)


def test_incoming_journey_over_http(clerk_a, leader_a, specialist_a, commune_a):
    clerk, leader, specialist = (client_for(u) for u in (clerk_a, leader_a, specialist_a))
    paper = {"recipient_code": "000.01.37.H37", "sender_name": "Sở Nội vụ", "number": "33",
             "notation": "SNV-TCBC", "issued_on": "2026-03-01", "type_code": "cong_van",
             "subject": "Rà soát biên chế", "scan": {"filename": "scan.pdf",
                                                     "content_base64": b64(one_page_pdf())}}
    response = clerk.post("/api/v1/documents/incoming", paper)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["incoming_number"] == 1 and body["sender_notices"] == []
    uuid = body["uuid"]
    assert_problem(clerk.post("/api/v1/documents/incoming", paper), 422, "duplicate")
    assert_problem(specialist.get(f"/api/v1/documents/incoming/{uuid}"), 404)
    response = leader.post(f"/api/v1/documents/incoming/{uuid}/assign", {
        "targets": [{"person_uuid": str(specialist_a.uuid), "role": "main"}],
        "working_days": 2, "directions": "Tổng hợp báo cáo"})
    assert response.json()["status"] == "assigned"
    assert response.json()["deadline"]
    assert specialist.post(f"/api/v1/documents/incoming/{uuid}/start").json()["status"] == \
        "processing"
    response = specialist.post(f"/api/v1/documents/incoming/{uuid}/notes",
                               {"kind": "progress", "text": "Đang tổng hợp"})
    assert response.json()["notes"][0]["text"] == "Đang tổng hợp"
    response = specialist.post(f"/api/v1/documents/incoming/{uuid}/complete",
                               {"result": "Đã báo cáo"})
    assert response.json()["status"] == "completed"
    hits = leader.get("/api/v1/documents/search", {"q": "bien che"}).json()
    assert hits["count"] == 1 and hits["items"][0]["direction"] == "in"
    assert_problem(leader.get("/api/v1/documents/search", {"direction": "x"}), 422)
    assert leader.get("/api/v1/documents/incoming", {"status": "overdue"}).json()["count"] == 0


def test_secret_incoming_hidden_from_uncleared_leader(clerk_a, leader_a, commune_a):
    clear(clerk_a, commune_a, "mat")
    response = client_for(clerk_a).post("/api/v1/documents/incoming", {
        "recipient_code": "000.01.37.H37", "sender_name": "Công an tỉnh", "number": "5",
        "issued_on": "2026-03-01", "type_code": "bao_cao", "subject": "Tình hình an ninh",
        "secrecy": "mat", "scan": {"filename": "s.pdf", "content_base64": b64(one_page_pdf())}})
    assert response.status_code == 201, response.content
    uuid = response.json()["uuid"]
    assert_problem(client_for(leader_a).get(f"/api/v1/documents/incoming/{uuid}"), 404)
    assert client_for(leader_a).get("/api/v1/documents/incoming").json()["count"] == 0
    assert IncomingDocument.objects.get().series == "den_mat"
    assert not OutgoingDocument.objects.exists()
