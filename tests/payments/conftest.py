"""Dossiers that owe money, and the sandbox gateway's key."""

import json

import pytest
from django.test import Client

from digigov.dossiers import services
from digigov.payments.gateways.sandbox import SIGNATURE_HEADER, sign
from tests.conftest import FORM, component_files

SECRET = "sandbox-test-secret"


@pytest.fixture(autouse=True)
def _sandbox_secret(settings):
    settings.PAYMENT_SANDBOX_SECRET = SECRET
    settings.PAYMENT_GATEWAY = "digigov.payments.gateways.sandbox.SandboxGateway"
    settings.PAYMENT_EXPIRY_MINUTES = 15


@pytest.fixture
def online_dossier(citizen, procedure, commune_a):
    """Submitted online: the online fee (4.000 đ) is owed."""
    return services.submit_online(applicant=citizen, procedure=procedure, form_data=FORM,
                                  files=component_files(procedure), agency=commune_a)


@pytest.fixture
def obligation_dossier(online_dossier, counter_a):
    """Received, then asked for a financial obligation of 150.000 đ (status 6)."""
    services.receive(officer=counter_a, dossier=online_dossier)
    return services.request_financial_obligation(
        official=counter_a, dossier=online_dossier, amount=150_000,
        reason="Lệ phí trước bạ")


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def notification(payment, *, result="success", amount=None, transaction_id=None,
                 secret=SECRET) -> tuple[bytes, dict]:
    """A notification as the sandbox would sign it (tests may sign it wrongly)."""
    body = json.dumps({
        "transaction_id": transaction_id or payment.gateway_reference,
        "merchant_reference": str(payment.uuid),
        "amount": payment.amount if amount is None else amount,
        "result": result, "message": "" if result == "success" else "Thẻ bị từ chối",
        "timestamp": "2026-03-02T09:00:00+07:00",
    }).encode()
    return body, {SIGNATURE_HEADER: sign(body, secret.encode())}


def post_notification(client: Client, body: bytes, headers: dict, gateway="sandbox"):
    return client.post(f"/api/v1/payments/notify/{gateway}", body,
                       content_type="application/json",
                       headers={k: v for k, v in headers.items() if k != "Content-Type"})
