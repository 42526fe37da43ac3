"""A batch's rows besides the inbox (statuses queued, status records, audit events,
notices stamped sent) are written together at its end: every one of them is there, in
order, and none of a package that was not accepted."""

import pytest

from digigov.audit.models import AuditEvent
from digigov.documents.models import IncomingDocument, SenderNotice
from digigov.exchange import edxml, services
from digigov.exchange.models import InboxMessage, OutboxMessage, StatusRecord

from .conftest import document_package, failing_second_call, organ, status_package


@pytest.fixture(autouse=True)
def _no_tsa(settings):
    settings.SIGNING_TSA_URL = ""


def _documents(remote, agency, numbers):
    return [remote.sign(edxml.build_document(document_package(
        remote.organ(), [organ(agency)], number=str(n), attachments=[]))) for n in numbers]


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk")
                .values_list("object_id", flat=True))


def test_a_batch_writes_every_receipts_rows_in_order(peer, cred_a, remote, commune_a):
    items = services.receive_batch(_documents(remote, commune_a, (41, 42, 43)))
    assert [i.received.outcome for i in items] == ["accepted"] * 3
    inbox = list(InboxMessage.objects.order_by("pk"))
    assert [m.document_id.split(",")[-1] for m in inbox] == ["41/UBND-VP", "42/UBND-VP",
                                                             "43/UBND-VP"]
    assert IncomingDocument.objects.count() == 3
    queued = list(OutboxMessage.objects.order_by("seq"))
    assert [(m.status_code, m.document_id.split(",")[-1]) for m in queued] == [
        ("01", "41/UBND-VP"), ("03", "41/UBND-VP"), ("01", "42/UBND-VP"),
        ("03", "42/UBND-VP"), ("01", "43/UBND-VP"), ("03", "43/UBND-VP")]
    assert [m.seq for m in queued] == list(range(queued[0].seq, queued[0].seq + 6))
    assert _events("exchange.document_received") == [str(m.pk) for m in inbox]
    assert _events("exchange.status_queued") == [str(m.pk) for m in queued
                                                 if m.status_code == "03"]
    assert not SenderNotice.objects.filter(sent_at__isnull=True).exists()
    # The next batch numbers its statuses after these.
    services.receive_batch(_documents(remote, commune_a, (44,)))
    assert list(OutboxMessage.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(queued[0].seq, queued[0].seq + 8))


def test_a_duplicate_in_the_same_batch_is_answered_as_such(peer, cred_a, remote, commune_a):
    first, second = _documents(remote, commune_a, (51, 52))
    items = services.receive_batch([first, first, second])
    assert [i.received.outcome for i in items] == ["accepted", "duplicate", "accepted"]
    assert InboxMessage.objects.count() == 2 and IncomingDocument.objects.count() == 2
    assert sorted(OutboxMessage.objects.values_list("status_code", flat=True)) == [
        "01", "01", "03", "03"]
    assert len(_events("exchange.document_received")) == 2


def test_a_package_held_back_adds_nothing(peer, cred_a, remote, commune_a, monkeypatch):
    """A failure on this side while accepting the second package: the first is kept with
    its statuses and events, the second's statuses (01 was already queued) are undone."""
    from digigov.exchange import bridge

    monkeypatch.setattr(bridge, "register_incoming", failing_second_call(bridge.register_incoming))
    items = services.receive_batch(_documents(remote, commune_a, (61, 62)))
    assert items[0].received.outcome == "accepted" and items[1].retry
    assert [m.document_id.split(",")[-1] for m in OutboxMessage.objects.order_by("seq")] == [
        "61/UBND-VP", "61/UBND-VP"]
    assert len(_events("exchange.document_received")) == 1
    assert len(_events("exchange.status_queued")) == 1


def test_a_batch_of_statuses_records_each_once(peer, cred_a, remote, commune_a):
    sent = services.send_package(document_package(organ(commune_a), [remote.organ()]))[0]
    statuses = [remote.sign(edxml.build_status(status_package(
        remote.organ(), organ(commune_a), sent.document_id, code))) for code in ("01", "03")]
    unknown = remote.sign(edxml.build_status(status_package(
        remote.organ(), organ(commune_a), f"{commune_a.code},2026/11/20,99/UBND-VP")))
    items = services.receive_batch([statuses[0], unknown, statuses[1], statuses[1]])
    assert items[0].received.outcome == "accepted"
    assert items[1].refused.code == "unknown_document"
    assert [i.received.outcome for i in items[2:]] == ["accepted", "duplicate"]
    records = list(StatusRecord.objects.order_by("pk"))
    assert [r.status_code for r in records] == ["01", "03"]
    assert {r.package_id for r in records} == {
        m.package_id for m in InboxMessage.objects.filter(kind="status")}
    assert _events("exchange.status_received") == [
        str(pk) for pk in InboxMessage.objects.filter(kind="status").order_by("pk")
        .values_list("pk", flat=True)]
    assert _events("exchange.package_queued") == [str(sent.pk)]
