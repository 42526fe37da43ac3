"""Concurrent numbering on PostgreSQL: numbers stay unique and consecutive.

Each thread uses its own database connection, so these tests need a real server:
they are skipped on SQLite, which serialises all writers anyway.
"""

import datetime as dt
import threading

import pytest
from django.conf import settings

from digigov.documents import services
from digigov.documents.models import IncomingDocument
from tests.dossiers.test_concurrency import run_threads

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="needs PostgreSQL (DATABASE_URL=postgres://...): SQLite serialises all writers",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_outgoing_numbers_are_unique_and_consecutive(commune_a):
    threads, each = 8, 15
    numbers: list[int] = []
    lock = threading.Lock()

    def take(index):
        for _ in range(each):
            from django.db import transaction

            with transaction.atomic():
                number = services.next_number(commune_a, 2026, "chung")
            with lock:
                numbers.append(number)

    assert run_threads(threads, take) == []
    assert sorted(numbers) == list(range(1, threads * each + 1))


def test_incoming_numbers_under_concurrent_arrivals(commune_a):
    threads, each = 6, 5

    def arrive(index):
        for n in range(each):
            services.register_incoming_electronic(
                recipient=commune_a, sender_code="000.00.00.H37", sender_name="UBND tỉnh",
                document_id=f"000.00.00.H37,2026/03/02,{index}-{n}/UBND-VP",
                number=f"{index}{n}", notation="UBND-VP", issued_on=dt.date(2026, 3, 2),
                place="", type_code="CV", subject=f"Văn bản {index}-{n}", body="",
                signer_name="", signer_position="", signer_authority="", due_on=None,
                priority=0, business_type=0, attachments=[], signatures_valid=True)

    def duplicate(index):
        # Every thread delivers the same package: one record only.
        services.register_incoming_electronic(
            recipient=commune_a, sender_code="000.00.00.H37", sender_name="UBND tỉnh",
            document_id="000.00.00.H37,2026/03/03,99/UBND-VP", number="99",
            notation="UBND-VP", issued_on=dt.date(2026, 3, 3), place="", type_code="CV",
            subject="Gửi trùng", body="", signer_name="", signer_position="",
            signer_authority="", due_on=None, priority=0, business_type=0, attachments=[],
            signatures_valid=True)

    assert run_threads(threads, arrive) == []
    assert run_threads(threads, duplicate) == []
    numbers = sorted(IncomingDocument.objects.values_list("incoming_number", flat=True))
    assert numbers == list(range(1, threads * each + 2))
