"""The rows a pass of the exchange adds (queued packages, status records, audit events,
notices stamped sent), gathered while its packages are checked and written together at
the end of the pass, in the caller's transaction: a batch of 50 receipts then costs one
INSERT per table instead of one per row, and one sequence update per destination.

A receipt's own savepoint still decides what is kept: ``checkpoint`` before it,
``rollback`` to that point when it is undone, so a package that is not accepted adds
nothing here either.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Model

from digigov.audit.services import event as audit_event
from digigov.audit.services import record_many

from . import bridge
from .models import Channel, OutboxMessage


@dataclass(frozen=True)
class Checkpoint:
    messages: int
    rows: int
    events: int
    notices: int


def reserve_seqs(channel_id: int, count: int) -> int:
    """The first of ``count`` consecutive sequence numbers of a destination, safe under
    concurrent senders: one ``UPDATE ... RETURNING``, whose row lock holds until the
    transaction ends, so packages commit in the order of their numbers."""
    table = connection.ops.quote_name(Channel._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET next_seq = next_seq + %s WHERE id = %s "  # noqa: S608
                       "RETURNING next_seq", [count, channel_id])
        return cursor.fetchone()[0] - count


class Writes:
    def __init__(self) -> None:
        self.messages: list[OutboxMessage] = []
        self.rows: list[Model] = []
        self.events: list[tuple[object, Model, str, dict]] = []
        self.notices: list[tuple[int, dt.datetime]] = []

    def queue(self, message: OutboxMessage) -> OutboxMessage:
        """An outbox message, unsaved: its sequence number and pk come with ``flush``."""
        self.messages.append(message)
        return message

    def add(self, row: Model) -> None:
        self.rows.append(row)

    def audit(self, obj: Model, action: str, *, actor=None, **data) -> None:
        """An audit event for ``obj`` (built at ``flush``, once ``obj`` has its pk)."""
        self.events.append((actor, obj, action, data))

    def notice_sent(self, notice_pk: int, at: dt.datetime) -> None:
        self.notices.append((notice_pk, at))

    def checkpoint(self) -> Checkpoint:
        return Checkpoint(len(self.messages), len(self.rows), len(self.events),
                          len(self.notices))

    def rollback(self, point: Checkpoint) -> None:
        del self.messages[point.messages:]
        del self.rows[point.rows:]
        del self.events[point.events:]
        del self.notices[point.notices:]

    def flush(self) -> None:
        """Write everything gathered, in the order it came: the packages numbered per
        destination in that order, then the other rows, the audit events, the notices."""
        messages, self.messages = self.messages, []
        by_channel: dict[int, list[OutboxMessage]] = {}
        for message in messages:
            by_channel.setdefault(message.channel_id, []).append(message)
        for channel_id, queued in by_channel.items():
            first = reserve_seqs(channel_id, len(queued))
            for offset, message in enumerate(queued):
                message.seq = first + offset
        if messages:
            OutboxMessage.objects.bulk_create(messages)
        rows, self.rows = self.rows, []
        by_model: dict[type[Model], list[Model]] = {}
        for row in rows:
            by_model.setdefault(type(row), []).append(row)
        for model, same in by_model.items():
            model.objects.bulk_create(same)
        events, self.events = self.events, []
        record_many([audit_event(actor=actor, action=action, obj=obj, **data)
                     for actor, obj, action, data in events])
        notices, self.notices = self.notices, []
        if notices:
            bridge.mark_notices_sent([pk for pk, _at in notices], max(at for _pk, at in notices))
