"""Refusals that change nothing: paying twice, replays, forged or wrong notifications, expiry."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from digigov.audit.models import AuditEvent
from digigov.core.errors import InvalidTransition
from digigov.dossiers.models import Status
from digigov.payments import services
from digigov.payments.models import Payment, ReceiptSequence

from .conftest import notification, post_notification

pytestmark = pytest.mark.django_db


def _snapshot(dossier):
    dossier.refresh_from_db()
    return (dossier.status, dossier.updated_at,
            list(dossier.obligations.values_list("fulfilled_at", "fulfilled_reference")),
            AuditEvent.objects.filter(object_id=dossier.code).count())


@pytest.fixture
def pending_obligation(citizen, obligation_dossier):
    obligation = obligation_dossier.obligations.get()
    return services.start_online_payment(payer=citizen, dossier=obligation_dossier,
                                         obligation=obligation)


def test_paid_notification_is_accepted_then_replays_change_nothing(pending_obligation):
    client = Client()
    body, headers = notification(pending_obligation)
    first = post_notification(client, body, headers)
    assert first.status_code == 200 and first.json()["code"] == "paid"
    dossier = pending_obligation.dossier
    before = _snapshot(dossier)
    receipt = Payment.objects.get(pk=pending_obligation.pk).receipt_number

    replay = post_notification(client, body, headers)
    assert replay.status_code == 200 and replay.json()["code"] == "already_paid"
    assert _snapshot(dossier) == before
    assert Payment.objects.get(pk=pending_obligation.pk).receipt_number == receipt
    assert ReceiptSequence.objects.get().last == 1


def test_forged_signature_is_refused_and_nothing_changes(pending_obligation):
    dossier = pending_obligation.dossier
    before = _snapshot(dossier)
    body, headers = notification(pending_obligation, secret="not-the-key")
    response = post_notification(Client(), body, headers)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    # A valid signature over a different body is just as forged.
    body, headers = notification(pending_obligation)
    response = post_notification(Client(), body.replace(b"150000", b"1"), headers)
    assert response.status_code == 400
    response = post_notification(Client(), body, {})
    assert response.status_code == 400
    assert Payment.objects.get(pk=pending_obligation.pk).status == "pending"
    assert _snapshot(dossier) == before


def test_wrong_amount_fails_the_payment_and_leaves_the_dossier(pending_obligation):
    dossier = pending_obligation.dossier
    before = _snapshot(dossier)
    body, headers = notification(pending_obligation, amount=1_000)
    response = post_notification(Client(), body, headers)
    assert response.status_code == 422
    assert "amount" in response.json()["errors"]
    payment = Payment.objects.get(pk=pending_obligation.pk)
    assert payment.status == "failed"
    assert "150.000" in payment.failure_reason and "1.000 VNĐ" in payment.failure_reason
    assert payment.receipt_number == ""
    assert _snapshot(dossier) == before
    assert dossier.status == Status.FINANCIAL_OBLIGATION


def test_second_payment_of_a_paid_debt_is_refused(citizen, pending_obligation):
    post_notification(Client(), *notification(pending_obligation))
    dossier = pending_obligation.dossier
    obligation = pending_obligation.obligation
    with pytest.raises(InvalidTransition):
        services.start_online_payment(payer=citizen, dossier=dossier, obligation=obligation)
    # The fee too: once paid, never again.
    services.start_online_payment(payer=citizen, dossier=dossier)
    fee = Payment.objects.get(dossier=dossier, obligation__isnull=True)
    post_notification(Client(), *notification(fee))
    with pytest.raises(InvalidTransition):
        services.start_online_payment(payer=citizen, dossier=dossier)
    assert Payment.objects.filter(dossier=dossier, status="paid").count() == 2


def test_a_second_transaction_for_a_paid_debt_is_refused(citizen, online_dossier, counter_a):
    online_payment = services.start_online_payment(payer=citizen, dossier=online_dossier)
    # Meanwhile the applicant pays in cash at the counter.
    services.record_counter_payment(officer=counter_a, dossier=online_dossier, channel="cash",
                                    amount=4000)
    before = _snapshot(online_dossier)
    response = post_notification(Client(), *notification(online_payment))
    assert response.status_code == 409
    late = Payment.objects.get(pk=online_payment.pk)
    assert late.status == "failed" and late.receipt_number == ""
    assert Payment.objects.filter(dossier=online_dossier, status="paid").count() == 1
    assert _snapshot(online_dossier)[:3] == before[:3]


def test_notification_for_another_transaction_id_is_refused(pending_obligation):
    body, headers = notification(pending_obligation, transaction_id="SBXFORGED")
    response = post_notification(Client(), body, headers)
    assert response.status_code == 400
    assert Payment.objects.get(pk=pending_obligation.pk).status == "pending"


def test_unknown_payment_and_unknown_gateway_answer_404(pending_obligation):
    body, headers = notification(pending_obligation)
    assert post_notification(Client(), body, headers, gateway="vnpay").status_code == 404
    pending_obligation.uuid = "00000000-0000-4000-8000-000000000000"
    body, headers = notification(pending_obligation)
    assert post_notification(Client(), body, headers).status_code == 404
    pending_obligation.uuid = "not-a-uuid"
    body, headers = notification(pending_obligation)
    assert post_notification(Client(), body, headers).status_code == 404


def test_notification_after_expiry_is_refused(pending_obligation):
    dossier = pending_obligation.dossier
    Payment.objects.filter(pk=pending_obligation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1))
    before = _snapshot(dossier)
    response = post_notification(Client(), *notification(pending_obligation))
    assert response.status_code == 409
    payment = Payment.objects.get(pk=pending_obligation.pk)
    assert payment.status == "expired"
    assert _snapshot(dossier)[:3] == before[:3]
    # And a replay of it afterwards is refused the same way.
    assert post_notification(Client(), *notification(pending_obligation)).status_code == 409


def test_expire_payments_command_closes_stale_payments(pending_obligation, capsys):
    call_command("expire_payments")
    assert Payment.objects.get(pk=pending_obligation.pk).status == "pending"
    Payment.objects.filter(pk=pending_obligation.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1))
    call_command("expire_payments")
    assert "1 payment(s) expired" in capsys.readouterr().out
    payment = Payment.objects.get(pk=pending_obligation.pk)
    assert payment.status == "expired" and payment.failure_reason
    payment.dossier.refresh_from_db()
    assert payment.dossier.status == Status.FINANCIAL_OBLIGATION


def test_expiry_settles_a_payment_the_gateway_reports_paid(citizen, online_dossier):
    """A lost notification: the gateway's status query is asked before expiring."""
    client = Client()
    client.force_login(citizen)
    start = client.post(f"/thanh-toan/ho-so/{online_dossier.uuid}/", {"target": "fee"})
    payment = Payment.objects.get(dossier=online_dossier)
    # The payer paid on the sandbox, but its notification never arrived.
    from digigov.payments.gateways.sandbox import SandboxGateway
    assert SandboxGateway.finish(start["Location"].rstrip("/").rsplit("/", 1)[1], "pay")
    Payment.objects.filter(pk=payment.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert services.expire_due() == 0
    payment.refresh_from_db()
    assert payment.status == "paid" and payment.receipt_number
