"""The receipt as a PDF: the page, the API endpoint, and who may fetch it."""

import io

import pytest
from pypdf import PdfReader

from digigov.payments import services
from tests.api.conftest import assert_problem, client_for

from .conftest import login, notification, post_notification

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_counter_receipt_pdf_names_both_parties(counter_a, citizen, online_dossier):
    payment = services.record_counter_payment(officer=counter_a, dossier=online_dossier,
                                              channel="cash", amount=4000)
    response = login(citizen).get(f"/thanh-toan/{payment.uuid}/bien-lai.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text
    assert f"Số: {payment.receipt_number}" in text
    assert online_dossier.code in text
    assert "4.000 đồng" in text and "Tiền mặt" in text
    assert "NGƯỜI THU TIỀN" in text and counter_a.full_name in text
    assert "Nguyễn Văn A" in text


def test_online_receipt_pdf_through_the_api(citizen, other_citizen, online_dossier):
    payment = services.start_online_payment(payer=citizen, dossier=online_dossier)
    api = client_for(citizen)
    assert_problem(api.get(f"/api/v1/payments/{payment.uuid}/receipt.pdf"), 404)
    post_notification(api.client, *notification(payment))
    payment.refresh_from_db()
    receipt = api.get(f"/api/v1/payments/{payment.uuid}/receipt").json()
    assert receipt["pdf_url"] == f"/api/v1/payments/{payment.uuid}/receipt.pdf"
    response = api.get(receipt["pdf_url"])
    assert response.status_code == 200
    text = _text(response.content)
    assert payment.receipt_number in text and payment.gateway_reference in text
    assert "Thanh toán trực tuyến" in text and "NGƯỜI THU TIỀN" not in text
    assert_problem(client_for(other_citizen).get(receipt["pdf_url"]), 404)
    assert login(other_citizen).get(
        f"/thanh-toan/{payment.uuid}/bien-lai.pdf").status_code == 404
