"""Concurrent writers on PostgreSQL: dossier codes and receptions stay exact.

Each thread uses its own database connection (Django gives one per thread),
so these tests need a real server: they are skipped on SQLite.
"""

import threading

import pytest
from django.conf import settings
from django.db import connection

from digigov.audit.models import AuditEvent
from digigov.core.errors import InvalidTransition
from digigov.dossiers import services
from digigov.dossiers.models import Dossier, StepRecord
from tests.conftest import FORM, component_files, vn

from .support import RECEIVED, submit

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="needs PostgreSQL (DATABASE_URL=postgres://...): SQLite serialises all writers",
    ),
    # Committed transactions, so that the threads see each other's rows.
    pytest.mark.django_db(transaction=True),
]


def run_threads(count: int, target) -> list:
    """Run ``target(index)`` in ``count`` threads released together; collect the errors."""
    barrier = threading.Barrier(count)
    errors: list = []

    def body(index):
        try:
            barrier.wait(timeout=30)
            target(index)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def test_codes_are_unique_and_consecutive_under_concurrent_submissions(procedure, citizen,
                                                                       commune_a):
    threads, each = 8, 10
    codes: list[str] = []
    lock = threading.Lock()

    def submit_many(index):
        for n in range(each):
            dossier = services.submit_online(
                applicant=citizen, procedure=procedure, form_data=FORM,
                files=component_files(procedure), agency=commune_a,
                now=vn(2026, 3, 2, 8, index, n))
            with lock:
                codes.append(dossier.code)

    assert run_threads(threads, submit_many) == []
    expected = [f"000.01.37.H37-260302-{n:04d}" for n in range(1, threads * each + 1)]
    assert sorted(codes) == expected
    assert sorted(Dossier.objects.values_list("code", flat=True)) == expected


def test_two_officials_racing_to_receive_yield_one_reception(procedure, citizen, commune_a,
                                                             counter_a, counter_a2):
    for round_ in range(5):
        dossier = submit(procedure, citizen, commune_a, now=vn(2026, 3, 2, 9, round_))
        outcomes: list[str] = []

        def receive(index, dossier=dossier, outcomes=outcomes):
            officer = (counter_a, counter_a2)[index]
            try:
                services.receive(officer=officer, dossier=dossier, now=RECEIVED)
                outcomes.append("received")
            except InvalidTransition:
                outcomes.append("refused")

        assert run_threads(2, receive) == []
        assert sorted(outcomes) == ["received", "refused"]
        assert AuditEvent.objects.filter(object_id=dossier.code, action="receive").count() == 1
        assert StepRecord.objects.filter(dossier=dossier).count() == 1
