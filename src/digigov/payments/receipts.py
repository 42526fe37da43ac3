"""Receipt numbers: one series per agency per calendar year, safe under concurrent writers."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

from .models import ReceiptSequence


def _increment(agency_id: int, year: int) -> int | None:
    table = ReceiptSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" SET "last" = "last" + 1 '  # noqa: S608 - table name is ours
            'WHERE "agency_id" = %s AND "year" = %s RETURNING "last"',
            [agency_id, year],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def next_receipt_sequence(agency_id: int, year: int) -> int:
    """Add one to the agency's counter for the year, inside the caller's transaction.

    The single UPDATE takes the row lock on PostgreSQL, so concurrent payments
    queue rather than share a number; the year's first receipt creates the row
    and a racing creator falls back to the update.
    """
    last = _increment(agency_id, year)
    if last is None:
        try:
            with transaction.atomic():
                ReceiptSequence.objects.create(agency_id=agency_id, year=year, last=1)
            last = 1
        except IntegrityError:
            last = _increment(agency_id, year)
    return last
