"""/api/v1/ payments: start, list, counter takings, receipt, and the notification endpoint."""

import pytest

from digigov.dossiers.models import Status
from digigov.payments.models import Payment
from tests.api.conftest import assert_problem, client_for

from .conftest import notification, post_notification

pytestmark = pytest.mark.django_db


def test_applicant_starts_a_payment_and_the_gateway_notifies(citizen, obligation_dossier):
    api = client_for(citizen)
    url = f"/api/v1/dossiers/{obligation_dossier.code}/payments"
    response = api.post(url, {"target": "obligation"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["amount"] == 150_000
    assert body["target"] == "obligation" and body["channel"] == "online"
    assert body["redirect_url"].startswith("/thanh-toan/sandbox/")
    assert response["Location"] == f"/api/v1/payments/{body['uuid']}"

    payment = Payment.objects.get(uuid=body["uuid"])
    ack = post_notification(api.client, *notification(payment))
    assert ack.status_code == 200 and ack.json()["code"] == "paid"

    listed = api.get(url).json()
    assert [p["status"] for p in listed] == ["paid"]
    assert listed[0]["redirect_url"] is None
    receipt = api.get(f"/api/v1/payments/{body['uuid']}/receipt")
    assert receipt.status_code == 200
    data = receipt.json()
    assert data["number"] == "BL" + str(payment.created_at.year) + "-000001"
    assert data["amount"] == 150_000 and data["dossier"] == obligation_dossier.code
    assert data["html_url"] == f"/thanh-toan/{body['uuid']}/bien-lai/"
    dossier = api.get(f"/api/v1/dossiers/{obligation_dossier.code}").json()
    assert dossier["status"] == Status.PROCESSING


def test_api_refusals(citizen, other_citizen, online_dossier, counter_a):
    url = f"/api/v1/dossiers/{online_dossier.code}/payments"
    assert_problem(client_for(other_citizen).post(url, {"target": "fee"}), 404, "not_found")
    assert_problem(client_for(citizen).post(url, {"target": "obligation"}), 409,
                   "invalid_transition")
    assert_problem(client_for(citizen).post(url, {"target": "tip"}), 422, "invalid_input")
    assert_problem(client_for(counter_a).post(url, {"target": "fee"}), 403, "forbidden")
    first = client_for(citizen).get(f"/api/v1/payments/{online_dossier.uuid}")
    assert_problem(first, 404, "not_found")
    assert not Payment.objects.exists()


def test_receipt_of_an_unpaid_payment_is_404(citizen, online_dossier):
    api = client_for(citizen)
    body = api.post(f"/api/v1/dossiers/{online_dossier.code}/payments", {}).json()
    assert_problem(api.get(f"/api/v1/payments/{body['uuid']}/receipt"), 404, "not_found")
    assert api.get(f"/api/v1/payments/{body['uuid']}").json()["redirect_url"]


def test_counter_payment_through_the_api(counter_a, citizen, online_dossier):
    url = f"/api/v1/dossiers/{online_dossier.code}/payments/counter"
    assert_problem(client_for(citizen).post(url, {"channel": "cash", "amount": 4000}),
                   403, "forbidden")
    assert_problem(client_for(counter_a).post(url, {"channel": "cash", "amount": 4001}),
                   422, "invalid_input")
    response = client_for(counter_a).post(url, {"channel": "cash", "amount": 4000})
    assert response.status_code == 201
    assert response.json()["receipt_number"].endswith("-000001")
    again = client_for(counter_a).post(url, {"channel": "cash", "amount": 4000})
    assert_problem(again, 409, "invalid_transition")
    assert Payment.objects.filter(status="paid").count() == 1


def test_forged_notification_answers_a_problem(citizen, online_dossier):
    api = client_for(citizen)
    body = api.post(f"/api/v1/dossiers/{online_dossier.code}/payments", {}).json()
    payment = Payment.objects.get(uuid=body["uuid"])
    problem = assert_problem(
        post_notification(api.client, *notification(payment, secret="guess")), 400)
    assert problem["code"] == "invalid_request"
    assert Payment.objects.get(pk=payment.pk).status == "pending"
