"""Sending: one signed package per destination, delivered in order, retried with
exponential backoff, refused packages set aside; local delivery without HTTP."""

import datetime as dt

import pytest
from django.utils import timezone

from digigov.core.errors import InvalidInput, InvalidTransition, NotAllowed
from digigov.exchange import edxml, services, transport, xmlsig
from digigov.exchange.models import (
    Channel,
    InboxMessage,
    OutboxMessage,
    OutboxState,
    StatusRecord,
)

from .conftest import document_package, organ


class FakePeer:
    """Stands in for the HTTP transport: answers each package from a script, records the
    packages it got and the requests (URL and number of packages; None: a batch it
    does not take)."""

    def __init__(self, monkeypatch):
        self.sent: list[tuple[str, str]] = []
        self.requests: list[tuple[str, int | None]] = []
        self.answers: list[transport.Outcome] = []
        self.takes_batches = True
        monkeypatch.setattr(transport, "post_package", self.post)
        monkeypatch.setattr(transport, "post_batch", self.post_batch)

    def _answer(self, url, payload):
        package = edxml.read(edxml.parse_bytes(payload))
        self.sent.append((url, package.document_id))
        return self.answers.pop(0) if self.answers else transport.Outcome(True)

    def post(self, url, payload, *, package_id):
        self.requests.append((url, 1))
        return self._answer(url, payload)

    def post_batch(self, url, payloads, *, package_ids):
        if not self.takes_batches:
            self.requests.append((url, None))
            return None
        self.requests.append((url, len(payloads)))
        outcomes = []
        for payload in payloads:
            outcomes.append(self._answer(url, payload))
            if not outcomes[-1].ok and not outcomes[-1].permanent:
                break  # the peer stops there: the rest of the batch waits
        return outcomes


@pytest.fixture
def fake_peer(monkeypatch):
    return FakePeer(monkeypatch)


@pytest.fixture
def fast_retries(settings):
    settings.EXCHANGE_RETRY_BASE_SECONDS = 10
    settings.EXCHANGE_RETRY_MAX_SECONDS = 60


def _send(commune, remote, number, **extra):
    return services.send_package(
        document_package(organ(commune), [remote.organ()], number=number), **extra)


def test_package_is_signed_validated_and_queued(peer, remote, commune_a, cred_a):
    [message] = _send(commune_a, remote, "12")
    assert message.state == OutboxState.PENDING and message.seq == 1
    assert message.channel.peer == peer and message.recipient_code == remote.code
    assert message.document_id == f"{commune_a.code},2026/11/20,12/UBND-VP"
    root = edxml.parse_bytes(bytes(message.payload))
    assert edxml.validate(root) == "document"
    cert = xmlsig.verify(root, organ_code=commune_a.code,
                         trusted=[xmlsig.signing_certificate(root)], at=timezone.now())
    assert xmlsig.organ_code_of(cert) == commune_a.code
    package = edxml.read(root)
    assert package.package_id == str(message.uuid)
    assert package.sender.name == commune_a.name
    assert package.traces[-1][0] == commune_a.code


def test_one_package_per_recipient(peer, remote, commune_a, commune_b, cred_a):
    messages = services.send_package(document_package(
        organ(commune_a), [remote.organ(), organ(commune_b)]))
    assert sorted(m.recipient_code for m in messages) == sorted([remote.code, commune_b.code])
    assert {m.channel.key for m in messages} == {f"peer:{peer.uuid}", "local"}
    assert len({m.uuid for m in messages}) == 2


def test_unknown_recipient_queues_nothing(peer, remote, commune_a, cred_a):
    with pytest.raises(InvalidInput, match="Không có đường gửi"):
        services.send_package(document_package(
            organ(commune_a), [remote.organ(), edxml.Organ("000.00.00.H01", "Tỉnh khác")]))
    assert not OutboxMessage.objects.exists()


def test_sender_must_be_local_and_hold_a_certificate(peer, remote, commune_a, commune_b, ca):
    with pytest.raises(InvalidInput, match="không thuộc hệ thống"):
        services.send_package(document_package(remote.organ(), [organ(commune_a)]))
    with pytest.raises(InvalidInput, match="chưa có chứng thư"):
        services.send_package(document_package(organ(commune_b), [remote.organ()]))
    with pytest.raises(InvalidInput, match="chính mình"):
        services.send_package(document_package(organ(commune_b), [organ(commune_b)]))
    assert not OutboxMessage.objects.exists()


def test_delivered_in_order(peer, remote, commune_a, cred_a, fake_peer):
    for n in ("01", "02", "03"):
        _send(commune_a, remote, n)
    result = services.run_once()
    assert result.delivered == 3
    assert [doc.split(",")[-1] for _, doc in fake_peer.sent] == ["01/UBND-VP", "02/UBND-VP",
                                                                 "03/UBND-VP"]
    assert fake_peer.requests == [(transport.batch_url(peer.endpoint_url), 3)]  # one request
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"delivered"}
    assert services.run_once().delivered == 0  # nothing twice


def test_requests_hold_at_most_the_configured_number_of_packages(
        settings, peer, remote, commune_a, cred_a, fake_peer):
    settings.EXCHANGE_REQUEST_PACKAGES = 2
    for n in ("01", "02", "03", "04", "05"):
        _send(commune_a, remote, n)
    assert services.run_once().delivered == 5
    assert [size for _, size in fake_peer.requests] == [2, 2, 1]
    assert [d.split(",")[-1][:2] for _, d in fake_peer.sent] == ["01", "02", "03", "04", "05"]


def test_peer_without_the_batch_endpoint_gets_one_package_per_request(
        peer, remote, commune_a, cred_a, fake_peer):
    fake_peer.takes_batches = False
    for n in ("01", "02", "03"):
        _send(commune_a, remote, n)
    assert services.run_once().delivered == 3
    assert fake_peer.requests == [(transport.batch_url(peer.endpoint_url), None)] + [
        (peer.endpoint_url, 1)] * 3
    assert [d.split(",")[-1][:2] for _, d in fake_peer.sent] == ["01", "02", "03"]


def test_failure_inside_a_batch_keeps_the_earlier_and_holds_the_later(
        peer, remote, commune_a, cred_a, fake_peer, fast_retries):
    for n in ("01", "02", "03", "04"):
        _send(commune_a, remote, n)
    fake_peer.answers = [transport.Outcome(True),
                         transport.Outcome(False, True, "HTTP 422: invalid_package"),
                         transport.Outcome(False, False, "retry: database busy")]
    start = timezone.now()
    result = services.run_once(now=start)
    assert (result.delivered, result.refused, result.failed) == (1, 1, 1)
    rows = list(OutboxMessage.objects.order_by("seq").values_list("state", "attempts"))
    assert rows == [("delivered", 1), ("refused", 1), ("pending", 1), ("pending", 0)]
    # Due again: the third goes first, then the fourth, in one request.
    third = OutboxMessage.objects.get(seq=3)
    assert services.run_once(now=third.next_attempt_at).delivered == 2
    assert [d.split(",")[-1][:2] for _, d in fake_peer.sent][-2:] == ["03", "04"]


def test_failure_blocks_later_packages_and_backs_off(peer, remote, commune_a, cred_a,
                                                     fake_peer, fast_retries):
    for n in ("01", "02"):
        _send(commune_a, remote, n)
    fake_peer.answers = [transport.Outcome(False, False, "ConnectionError: refused")] * 3
    start = timezone.now()
    result = services.run_once(now=start)
    assert (result.delivered, result.failed) == (0, 1)
    first, second = OutboxMessage.objects.order_by("seq")
    assert first.attempts == 1 and "ConnectionError" in first.last_error
    assert second.attempts == 0  # never tried while the first waits
    assert first.next_attempt_at >= start + dt.timedelta(seconds=10)

    assert services.run_once(now=start + dt.timedelta(seconds=5)).failed == 0  # not yet due
    services.run_once(now=first.next_attempt_at)
    first.refresh_from_db()
    assert first.attempts == 2
    assert first.next_attempt_at - first.last_attempt_at >= dt.timedelta(seconds=20)

    services.run_once(now=first.next_attempt_at)
    first.refresh_from_db()
    assert first.attempts == 3
    # Then the peer is back: everything goes, in order.
    assert services.run_once(now=first.next_attempt_at).delivered == 2
    assert [d.split(",")[-1] for _, d in fake_peer.sent][-2:] == ["01/UBND-VP", "02/UBND-VP"]


def test_backoff_doubles_up_to_the_ceiling(settings):
    settings.EXCHANGE_RETRY_BASE_SECONDS = 5
    settings.EXCHANGE_RETRY_MAX_SECONDS = 900
    assert [services.backoff(n) for n in (1, 2, 3, 4, 8, 20)] == [5, 10, 20, 40, 640, 900]


def test_refused_package_is_set_aside_and_reported(peer, remote, commune_a, cred_a,
                                                   fake_peer, fake_documents):
    _send(commune_a, remote, "01", outgoing_document_id=7)
    _send(commune_a, remote, "02")
    fake_peer.answers = [transport.Outcome(False, True, "HTTP 403: chữ ký không hợp lệ")]
    result = services.run_once()
    assert (result.refused, result.delivered) == (1, 1)
    first = OutboxMessage.objects.get(seq=1)
    assert first.state == OutboxState.REFUSED and "403" in first.last_error
    assert [(s["outgoing"], s["status"]) for s in fake_documents.statuses] == [(7, "02")]


def test_retry_now_sends_a_refused_package_again(peer, remote, commune_a, cred_a, fake_peer,
                                                 leader_a):
    [message] = _send(commune_a, remote, "01")
    fake_peer.answers = [transport.Outcome(False, True, "HTTP 403")]
    services.run_once()
    with pytest.raises(NotAllowed):
        services.retry_now(message, actor=leader_a)
    services.retry_now(message)
    assert services.run_once().delivered == 1
    message.refresh_from_db()
    assert message.state == OutboxState.DELIVERED and message.attempts == 2
    with pytest.raises(InvalidTransition):
        services.retry_now(message)


def test_one_worker_per_destination(peer, remote, commune_a, cred_a, fake_peer):
    _send(commune_a, remote, "01")
    channel = Channel.objects.get(peer=peer)
    assert services._claim(channel.pk, "worker-1", timezone.now())
    assert services.deliver_channel(channel, owner="worker-2").delivered == 0
    assert fake_peer.sent == []
    services._release(channel.pk, "worker-1")
    assert services.deliver_channel(channel, owner="worker-2").delivered == 1


def test_expired_lease_is_taken_over(peer, remote, commune_a, cred_a, fake_peer):
    _send(commune_a, remote, "01")
    channel = Channel.objects.get(peer=peer)
    Channel.objects.filter(pk=channel.pk).update(
        lease_owner="dead-worker", lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert services.deliver_channel(channel, owner="worker-2").delivered == 1


def test_sequences_are_per_destination(peer, remote, commune_a, commune_b, cred_a):
    _send(commune_a, remote, "01")
    services.send_package(document_package(organ(commune_a), [organ(commune_b)]))
    _send(commune_a, remote, "02")
    rows = OutboxMessage.objects.order_by("created_at", "pk")
    assert [(m.channel.key.split(":")[0], m.seq) for m in rows] == [("peer", 1), ("local", 1),
                                                                   ("peer", 2)]


@pytest.mark.django_db(transaction=True)
def test_local_delivery_between_two_agencies(commune_a, commune_b, fake_documents):
    from digigov.signing import services as signing

    signing.create_local_ca("CA")
    signing.issue_credential(agency=commune_a)
    signing.issue_credential(agency=commune_b)
    [message] = services.send_package(
        document_package(organ(commune_a), [organ(commune_b)], number="15"),
        outgoing_document_id=3)
    # Delivered in-process as soon as the sending transaction committed: no worker, no HTTP.
    message.refresh_from_db()
    assert message.state == OutboxState.DELIVERED
    inbox = InboxMessage.objects.get(kind="document")
    assert inbox.recipient_code == commune_b.code and inbox.peer is None
    assert fake_documents.registered[0]["recipient"] == commune_b
    assert fake_documents.registered[0]["sender_code"] == commune_a.code
    # Status 01 came back the same way and is on the sent document.
    assert list(StatusRecord.objects.values_list("status_code", "recipient_code")) == [
        ("01", commune_b.code)]
    assert [(s["outgoing"], s["status"]) for s in fake_documents.statuses] == [(3, "01")]
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"delivered"}


@pytest.mark.django_db(transaction=True)
def test_queue_mode_leaves_local_delivery_to_the_worker(settings, commune_a, commune_b,
                                                        fake_documents):
    from digigov.signing import services as signing

    settings.EXCHANGE_DELIVERY = "queue"
    signing.create_local_ca("CA")
    signing.issue_credential(agency=commune_a)
    signing.issue_credential(agency=commune_b)
    services.send_package(document_package(organ(commune_a), [organ(commune_b)]))
    assert OutboxMessage.objects.get().state == OutboxState.PENDING
    result = services.drain(timeout=10)
    assert result.delivered == 2  # the document, then status 01
    assert StatusRecord.objects.count() == 1
