"""The whole online journey through HTTP: portal → sandbox page → notification → return page."""

import pytest

from digigov.audit.models import AuditEvent
from digigov.dossiers.models import Status
from digigov.payments.models import Payment, SandboxTransaction

from .conftest import login

pytestmark = pytest.mark.django_db


def _start(client, dossier, target):
    response = client.post(f"/thanh-toan/ho-so/{dossier.uuid}/", {"target": target})
    assert response.status_code == 302, response.content
    assert response["Location"].startswith("/thanh-toan/sandbox/SBX")
    return response["Location"]


def _return_path(location: str) -> str:
    # The gateway is given an absolute return URL (PUBLIC_BASE_URL); the test client needs the path.
    assert location.startswith("http")
    return "/" + location.split("/", 3)[3]


def test_portal_dossier_page_offers_payment(citizen, online_dossier):
    page = login(citizen).get(f"/ho-so/{online_dossier.uuid}/")
    assert page.status_code == 200
    assert f"/thanh-toan/ho-so/{online_dossier.uuid}/" in page.content.decode()
    pay_page = login(citizen).get(f"/thanh-toan/ho-so/{online_dossier.uuid}/")
    assert "4.000 đ" in pay_page.content.decode()


def test_fee_paid_through_the_sandbox(citizen, online_dossier):
    client = login(citizen)
    sandbox_url = _start(client, online_dossier, "fee")
    page = client.get(sandbox_url)
    assert page.status_code == 200
    assert "4.000" in page.content.decode()

    back = client.post(sandbox_url, {"choice": "pay"})
    assert back.status_code == 302
    result = client.get(_return_path(back["Location"]))
    assert result.status_code == 200

    payment = Payment.objects.get(dossier=online_dossier)
    assert payment.status == "paid"
    assert payment.amount == 4000
    assert payment.receipt_number.startswith("BL20")
    assert payment.gateway_reference.startswith("SBX")
    assert payment.receipt_number in result.content.decode()
    online_dossier.refresh_from_db()
    assert online_dossier.status == Status.NEW  # paying the fee does not move the dossier
    assert AuditEvent.objects.filter(object_id=online_dossier.code, action="pay_fee",
                                     data__receipt=payment.receipt_number).exists()
    receipt = client.get(f"/thanh-toan/{payment.uuid}/bien-lai/")
    assert receipt.status_code == 200
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in receipt.content.decode()
    dossier_page = client.get(f"/ho-so/{online_dossier.uuid}/").content.decode()
    assert "Nộp phí, lệ phí" in dossier_page  # the timeline names the payment
    assert payment.receipt_number in dossier_page
    # Nothing is owed any more: the pay page offers no button.
    assert 'name="target"' not in client.get(
        f"/thanh-toan/ho-so/{online_dossier.uuid}/").content.decode()


def test_obligation_paid_online_resumes_processing(citizen, obligation_dossier):
    assert obligation_dossier.status == Status.FINANCIAL_OBLIGATION
    client = login(citizen)
    sandbox_url = _start(client, obligation_dossier, "obligation")
    back = client.post(sandbox_url, {"choice": "pay"})
    client.get(_return_path(back["Location"]))

    obligation_dossier.refresh_from_db()
    assert obligation_dossier.status == Status.PROCESSING
    payment = Payment.objects.get(dossier=obligation_dossier, obligation__isnull=False)
    assert payment.status == "paid" and payment.amount == 150_000
    obligation = payment.obligation
    assert obligation.fulfilled_at is not None
    assert obligation.fulfilled_reference == payment.receipt_number
    event = AuditEvent.objects.get(object_id=obligation_dossier.code,
                                   action="fulfil_financial_obligation")
    assert (event.from_state, event.to_state) == ("6", "4")
    assert event.actor is None and event.data["payment_channel"] == "online"


def test_failed_payment_is_recorded_and_can_be_retried(citizen, obligation_dossier):
    client = login(citizen)
    sandbox_url = _start(client, obligation_dossier, "obligation")
    back = client.post(sandbox_url, {"choice": "fail"})
    page = client.get(_return_path(back["Location"]))
    assert "Thanh toán không thành công" in page.content.decode()
    failed = Payment.objects.get(dossier=obligation_dossier)
    assert failed.status == "failed" and failed.failure_reason
    obligation_dossier.refresh_from_db()
    assert obligation_dossier.status == Status.FINANCIAL_OBLIGATION

    retry_url = _start(client, obligation_dossier, "obligation")
    assert retry_url != sandbox_url
    client.post(retry_url, {"choice": "pay"})
    obligation_dossier.refresh_from_db()
    assert obligation_dossier.status == Status.PROCESSING


def test_abandoned_payment_stays_pending_and_is_reused(citizen, online_dossier):
    client = login(citizen)
    sandbox_url = _start(client, online_dossier, "fee")
    back = client.post(sandbox_url, {"choice": "abandon"})
    page = client.get(_return_path(back["Location"]))
    assert "Chưa nhận được kết quả" in page.content.decode()
    payment = Payment.objects.get(dossier=online_dossier)
    assert payment.status == "pending"
    assert SandboxTransaction.objects.get().state == "abandoned"
    # Starting again within the time limit hands back the same pending payment.
    assert _start(client, online_dossier, "fee") == sandbox_url
    assert Payment.objects.filter(dossier=online_dossier).count() == 1


def test_sandbox_page_acts_once(citizen, online_dossier):
    client = login(citizen)
    sandbox_url = _start(client, online_dossier, "fee")
    client.post(sandbox_url, {"choice": "pay"})
    again = client.post(sandbox_url, {"choice": "fail"})
    assert again.status_code == 302
    assert Payment.objects.get(dossier=online_dossier).status == "paid"
    assert client.post(sandbox_url, {"choice": "steal"}).status_code == 400
