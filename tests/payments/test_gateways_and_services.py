"""Gateway configuration, the sandbox key, and the dossier services payments rely on."""

import pytest

from digigov.core.errors import InvalidTransition
from digigov.dossiers import services as dossier_services
from digigov.dossiers.models import Status
from digigov.payments import conf
from digigov.payments.gateways import (
    GatewaySession,
    GatewayStatus,
    GatewayUnavailable,
    InvalidNotification,
    PaymentGateway,
    get_gateway,
)
from digigov.payments.gateways.sandbox import SandboxGateway

pytestmark = pytest.mark.django_db


class BankGateway(PaymentGateway):
    """A gateway configured by dotted path, as a real one would be."""

    name = "bank"

    def create_payment(self, payment, *, description, return_url, notify_url):
        return GatewaySession(redirect_url=f"https://bank.example/pay/{payment.uuid}",
                              reference=f"BANK-{payment.pk}")

    def verify_notification(self, body, headers):
        raise InvalidNotification("this bank signs nothing we accept")

    def query_status(self, payment):
        return GatewayStatus("pending")


class DownGateway(BankGateway):
    name = "down"

    def create_payment(self, payment, *, description, return_url, notify_url):
        raise GatewayUnavailable("connection refused")


class NotAGateway:
    name = "nope"


def test_the_configured_gateway_is_used(settings, citizen, online_dossier):
    from digigov.payments import services

    settings.PAYMENT_GATEWAY = "tests.payments.test_gateways_and_services.BankGateway"
    payment = services.start_online_payment(payer=citizen, dossier=online_dossier)
    assert payment.gateway == "bank"
    assert payment.redirect_url == f"https://bank.example/pay/{payment.uuid}"
    assert payment.gateway_reference == f"BANK-{payment.pk}"
    with pytest.raises(LookupError):
        get_gateway("sandbox")  # notifications name the configured gateway only


def test_a_class_that_is_not_a_gateway_is_refused(settings):
    settings.PAYMENT_GATEWAY = "tests.payments.test_gateways_and_services.NotAGateway"
    with pytest.raises(TypeError):
        get_gateway()


def test_sandbox_key_is_generated_once_into_var(settings, tmp_path, monkeypatch):
    settings.PAYMENT_SANDBOX_SECRET = ""
    monkeypatch.delenv("PAYMENT_SANDBOX_SECRET", raising=False)
    settings.VAR_DIR = tmp_path
    first = conf.sandbox_secret()
    assert len(first) >= 32
    assert (tmp_path / "payment_sandbox_secret").stat().st_mode & 0o777 == 0o600
    assert conf.sandbox_secret() == first
    monkeypatch.setenv("PAYMENT_SANDBOX_SECRET", "from-the-environment")
    assert conf.sandbox_secret() == b"from-the-environment"


def test_expiry_minutes_must_be_a_positive_number(settings):
    settings.PAYMENT_EXPIRY_MINUTES = "0"
    with pytest.raises(ValueError):
        conf.expiry_minutes()
    settings.PAYMENT_EXPIRY_MINUTES = "soon"
    with pytest.raises(ValueError):
        conf.expiry_minutes()
    settings.PAYMENT_EXPIRY_MINUTES = "30"
    assert conf.expiry_minutes() == 30


def test_sandbox_refuses_malformed_but_correctly_signed_bodies():
    from digigov.payments.gateways.sandbox import SIGNATURE_HEADER, sign

    gateway = SandboxGateway()
    for body in (b"not json", b"[]", b'{"amount": 1}',
                 b'{"transaction_id": "T", "merchant_reference": "M", "amount": true, '
                 b'"result": "success", "message": "", "timestamp": "t"}',
                 b'{"transaction_id": "T", "merchant_reference": "M", "amount": 5, '
                 b'"result": "maybe", "message": "", "timestamp": "t"}'):
        with pytest.raises(InvalidNotification):
            gateway.verify_notification(body, {SIGNATURE_HEADER: sign(body)})


def test_settle_obligation_refuses_outside_status_6(online_dossier, counter_a):
    dossier_services.receive(officer=counter_a, dossier=online_dossier)
    dossier_services.request_financial_obligation(official=counter_a, dossier=online_dossier,
                                                  amount=10_000, reason="Lệ phí")
    obligation = online_dossier.obligations.get()
    dossier_services.settle_financial_obligation(actor=None, dossier=online_dossier,
                                                 obligation=obligation, receipt="BL2026-000001",
                                                 channel="online")
    online_dossier.refresh_from_db()
    assert online_dossier.status == Status.PROCESSING
    with pytest.raises(InvalidTransition):
        dossier_services.settle_financial_obligation(
            actor=None, dossier=online_dossier, obligation=obligation,
            receipt="BL2026-000002", channel="online")
    obligation.refresh_from_db()
    assert obligation.fulfilled_reference == "BL2026-000001"


def test_record_fee_payment_leaves_the_status(online_dossier, counter_a):
    from digigov.audit.models import AuditEvent

    dossier_services.record_fee_payment(actor=counter_a, dossier=online_dossier, amount=4000,
                                        receipt="BL2026-000001", channel="cash")
    online_dossier.refresh_from_db()
    assert online_dossier.status == Status.NEW
    event = AuditEvent.objects.get(object_id=online_dossier.code, action="pay_fee")
    assert event.actor == counter_a and event.data["receipt"] == "BL2026-000001"


def test_deploy_check_warns_about_the_sandbox(settings):
    from django.core.checks import run_checks

    ids = {w.id for w in run_checks(include_deployment_checks=True)}
    assert "payments.W001" in ids
    settings.PAYMENT_GATEWAY = "tests.payments.test_gateways_and_services.BankGateway"
    ids = {w.id for w in run_checks(include_deployment_checks=True)}
    assert "payments.W001" not in ids


def test_an_unreachable_gateway_leaves_nothing_behind(settings, citizen, online_dossier):
    from digigov.payments.models import Payment
    from tests.api.conftest import assert_problem, client_for

    from .conftest import login

    settings.PAYMENT_GATEWAY = "tests.payments.test_gateways_and_services.DownGateway"
    problem = assert_problem(client_for(citizen).post(
        f"/api/v1/dossiers/{online_dossier.code}/payments", {"target": "fee"}), 503)
    assert "thử lại" in problem["detail"]
    page = login(citizen).post(f"/thanh-toan/ho-so/{online_dossier.uuid}/", {"target": "fee"})
    assert page.status_code == 503
    assert "Cổng thanh toán tạm thời không phản hồi" in page.content.decode()
    assert not Payment.objects.exists()
