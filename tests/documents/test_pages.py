"""The HTML pages: lists, forms, detail with actions, registers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from digigov.documents.models import IncomingDocument, OutgoingDocument
from tests.conftest import PASSWORD
from tests.signing.sample_pdf import one_page_pdf

from .conftest import draft
from .test_incoming import paper

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)
    return client


def test_draft_through_the_form_and_submit(client, specialist_a, leader_a, commune_a):
    login(client, specialist_a)
    assert client.get(reverse("documents:home")).status_code == 200
    response = client.post(reverse("documents:outgoing_new"), {
        "agency": commune_a.pk, "type_code": "thong_bao", "subject": "Lịch tiếp công dân",
        "body": "Lãnh đạo tiếp công dân vào thứ Năm.", "copies": 2,
        "external": "000.00.00.H37 | UBND tỉnh",
        "attachments": [SimpleUploadedFile("lich.pdf", one_page_pdf(), "application/pdf")]})
    document = OutgoingDocument.objects.get()
    assert response.status_code == 302
    assert document.attachments.count() == 1
    page = client.get(reverse("documents:outgoing_detail", args=[document.uuid]))
    assert "Lịch tiếp công dân" in page.content.decode()
    response = client.post(reverse("documents:outgoing_action", args=[document.uuid, "submit"]),
                           {"approver": leader_a.pk})
    document.refresh_from_db()
    assert document.status == "pending_approval"
    preview = client.get(reverse("documents:outgoing_pdf", args=[document.uuid]))
    assert preview.content.startswith(b"%PDF-")


def test_form_errors_are_shown(client, specialist_a, commune_a):
    login(client, specialist_a)
    response = client.post(reverse("documents:outgoing_new"), {
        "agency": commune_a.pk, "type_code": "thong_bao", "subject": "X", "body": "",
        "copies": 1})
    assert response.status_code == 400
    assert not OutgoingDocument.objects.exists()


def test_paper_registration_page_and_incoming_detail(client, clerk_a, commune_a):
    login(client, clerk_a)
    assert client.get(reverse("documents:incoming_new")).status_code == 200
    response = client.post(reverse("documents:incoming_new"), {
        "recipient": commune_a.pk, "sender_name": "Sở Y tế", "number": "8",
        "notation": "SYT-VP", "issued_on": "2026-02-20", "type_code": "ke_hoach",
        "subject": "Tiêm chủng mở rộng",
        "scan": SimpleUploadedFile("s.pdf", one_page_pdf(), "application/pdf")})
    document = IncomingDocument.objects.get()
    assert response.status_code == 302
    assert "Tiêm chủng" in client.get(
        reverse("documents:incoming_detail", args=[document.uuid])).content.decode()


def test_lists_search_registers(client, clerk_a, specialist_a, commune_a):
    draft(specialist_a, commune_a)
    paper(clerk_a, commune_a)
    login(client, clerk_a)
    assert "Sở Tư pháp" in client.get(reverse("documents:incoming_list")).content.decode()
    assert "Đôn đốc" in client.get(reverse("documents:outgoing_list")).content.decode()
    assert "Sở Tư pháp" in client.get(reverse("documents:search"),
                                      {"q": "ho tich"}).content.decode()
    page = client.get(reverse("documents:register", args=["den"]), {"year": 2026})
    assert "120/STP-HCTP" in page.content.decode()
    pdf = client.get(reverse("documents:register", args=["den"]),
                     {"year": 2026, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert client.get(reverse("documents:overdue")).status_code == 200


def test_citizens_and_strangers_are_kept_out(client, citizen, counter_b, specialist_a,
                                             commune_a):
    document = draft(specialist_a, commune_a)
    login(client, citizen)
    assert client.get(reverse("documents:home")).status_code == 403
    client.logout()
    login(client, counter_b)
    assert client.get(reverse("documents:outgoing_detail",
                              args=[document.uuid])).status_code == 404
    assert client.get(reverse("documents:register", args=["di"])).status_code == 403


def test_returned_draft_is_revised_through_the_edit_page(client, specialist_a, leader_a,
                                                         commune_a):
    from digigov.documents import services

    document = draft(specialist_a, commune_a)
    services.submit(document, actor=specialist_a, approver=leader_a)
    services.review(document, actor=leader_a, accept=False, comment="Ghi rõ hạn nộp")
    login(client, specialist_a)
    url = reverse("documents:outgoing_edit", args=[document.uuid])
    page = client.get(url)
    assert page.status_code == 200 and "Đôn đốc nộp báo cáo tháng" in page.content.decode()
    response = client.post(url, {
        "type_code": "cong_van", "subject": "Đôn đốc nộp báo cáo trước ngày 25",
        "body": "Hạn nộp: ngày 25.", "copies": 1, "drafting_unit": "VP"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.subject == "Đôn đốc nộp báo cáo trước ngày 25"
    assert document.status == "returned"
    detail = client.get(reverse("documents:outgoing_detail", args=[document.uuid]))
    assert "Ghi rõ hạn nộp" in detail.content.decode()
    client.logout()
    login(client, leader_a)
    assert client.get(url).status_code == 403
