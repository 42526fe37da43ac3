"""Concurrent writers on PostgreSQL: receipt numbers stay unique and gap-free, and one debt
is paid once however many notifications race. Skipped on SQLite, which serialises writers."""

import contextlib
import threading

import pytest
from django.test import Client

from digigov.core.errors import DomainError
from digigov.dossiers import services as dossier_services
from digigov.payments import services
from digigov.payments.models import Payment
from tests.conftest import FORM, component_files
from tests.dossiers.test_concurrency import ON_POSTGRES, run_threads

from .conftest import notification, post_notification

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="needs PostgreSQL (DATABASE_URL=postgres://...): SQLite serialises all writers",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_concurrent_counter_payments_get_consecutive_receipts(citizen, procedure, commune_a,
                                                              counter_a):
    threads, each = 6, 5
    dossiers = [dossier_services.submit_online(applicant=citizen, procedure=procedure,
                                               form_data=FORM, files=component_files(procedure),
                                               agency=commune_a)
                for _ in range(threads * each)]
    numbers: list[str] = []
    lock = threading.Lock()

    def pay(index):
        for dossier in dossiers[index * each:(index + 1) * each]:
            payment = services.record_counter_payment(officer=counter_a, dossier=dossier,
                                                      channel="cash", amount=4000)
            with lock:
                numbers.append(payment.receipt_number)

    assert run_threads(threads, pay) == []
    year = Payment.objects.first().receipt_year
    assert sorted(numbers) == [f"BL{year}-{n:06d}" for n in range(1, threads * each + 1)]


def test_racing_notifications_pay_once(citizen, online_dossier, counter_a):
    payment = services.start_online_payment(payer=citizen, dossier=online_dossier)
    body, headers = notification(payment)
    statuses: list[int] = []
    lock = threading.Lock()

    def notify(index):
        if index == 0:  # meanwhile, the counter tries to take the same fee in cash
            with contextlib.suppress(DomainError):
                services.record_counter_payment(officer=counter_a, dossier=online_dossier,
                                                channel="cash", amount=4000)
            return
        response = post_notification(Client(), body, headers)
        with lock:
            statuses.append(response.status_code)

    assert run_threads(5, notify) == []
    assert Payment.objects.filter(dossier=online_dossier, status="paid").count() == 1
    assert set(statuses) <= {200, 409}
