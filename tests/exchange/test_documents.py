"""With the real documents app: issue and send, register on arrival, statuses back."""

import pytest

from digigov.documents.models import ExchangeStatus, IncomingDocument, SenderNotice
from digigov.exchange import edxml, services
from digigov.exchange.models import InboxMessage, OutboxMessage, OutboxState, StatusRecord
from digigov.signing import services as signing
from tests.documents.conftest import clerk_a, issued  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_tsa(settings):
    settings.SIGNING_TSA_URL = ""


@pytest.fixture
def keys(commune_a, commune_b, leader_a):
    signing.create_local_ca("CA liên thông")
    for holder in ({"agency": commune_a}, {"agency": commune_b}, {"officer": leader_a}):
        signing.issue_credential(**holder)


def test_issue_and_send_to_an_agency_of_the_same_instance(
        keys, specialist_a, leader_a, clerk_a, commune_a, commune_b):  # noqa: F811
    document = issued(specialist_a, leader_a, clerk_a, commune_a, recipients=[
        {"kind": "external", "organ_code": commune_b.code}])
    sent = OutboxMessage.objects.get(kind="document")
    assert sent.state == OutboxState.DELIVERED and sent.outgoing_document_id == document.pk
    package = edxml.read(edxml.parse_bytes(bytes(sent.payload)))
    assert package.document_id == document.document_id
    assert package.attachments[0].data.startswith(b"%PDF-")

    incoming = IncomingDocument.objects.get(recipient=commune_b)
    assert incoming.document_id == document.document_id
    assert incoming.sender_code == commune_a.code
    assert InboxMessage.objects.get(kind="document").incoming_document_id == incoming.pk
    # 01 on arrival, 03 from the registration notice; both on the sent document.
    assert list(StatusRecord.objects.order_by("received_at", "pk")
                .values_list("status_code", flat=True)) == ["01", "03"]
    assert list(ExchangeStatus.objects.filter(document=document).order_by("pk")
                .values_list("status", flat=True)) == ["01", "03"]
    recipient = document.recipients.get()
    assert recipient.status == "03"
    assert SenderNotice.objects.get(document=incoming, status="03").sent_at is not None
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"delivered"}


def test_issue_to_a_peer_queues_a_package_for_the_worker(
        keys, specialist_a, leader_a, clerk_a, commune_a):  # noqa: F811
    from .conftest import Remote

    remote = Remote()
    services.add_peer(name="TP.HCM", endpoint_url="https://hcm.example.vn/lien-thong/edxml/",
                      certificate_pem=remote.ca_pem, organ_codes=[remote.code])
    document = issued(specialist_a, leader_a, clerk_a, commune_a, recipients=[
        {"kind": "external", "organ_code": remote.code}])
    message = OutboxMessage.objects.get()
    assert message.state == OutboxState.PENDING and message.channel.peer.name == "TP.HCM"
    assert message.outgoing_document_id == document.pk
    assert message.recipient_code == remote.code


def test_unsent_notice_is_sent_by_the_worker_pass(
        keys, specialist_a, leader_a, clerk_a, commune_a, commune_b, settings):  # noqa: F811
    settings.EXCHANGE_DELIVERY = "queue"
    issued(specialist_a, leader_a, clerk_a, commune_a, recipients=[
        {"kind": "external", "organ_code": commune_b.code}])
    services.drain(timeout=20)
    assert IncomingDocument.objects.filter(recipient=commune_b).count() == 1
    assert set(StatusRecord.objects.values_list("status_code", flat=True)) == {"01", "03"}
    # A notice whose hook never ran (a crash after commit) goes out on the next pass.
    incoming = IncomingDocument.objects.get(recipient=commune_b)
    notice = SenderNotice.objects.create(document=incoming, sender_code=commune_a.code,
                                         status="05", note="Đang xử lý")
    services.drain(timeout=20)
    notice.refresh_from_db()
    assert notice.sent_at is not None
    assert StatusRecord.objects.filter(status_code="05").count() == 1
    services.drain(timeout=5)
    assert StatusRecord.objects.filter(status_code="05").count() == 1


def test_documents_in_one_batch_are_registered_in_order_and_answered(
        keys, specialist_a, leader_a, clerk_a, commune_a, commune_b, settings):  # noqa: F811
    settings.EXCHANGE_DELIVERY = "queue"
    sent = [issued(specialist_a, leader_a, clerk_a, commune_a, recipients=[
        {"kind": "external", "organ_code": commune_b.code}]) for _ in range(3)]
    services.drain(timeout=30)
    incoming = IncomingDocument.objects.filter(recipient=commune_b).order_by("pk")
    assert [d.document_id for d in incoming] == [d.document_id for d in sent]
    assert [d.incoming_number for d in incoming] == [1, 2, 3]
    # Statuses 01 and 03 of each document were queued in its receipt, in that order.
    answers = OutboxMessage.objects.filter(kind="status").order_by("seq")
    assert [(m.document_id, m.status_code) for m in answers] == [
        (d.document_id, code) for d in sent for code in ("01", "03")]
    for document in sent:
        assert list(ExchangeStatus.objects.filter(document=document).order_by("pk")
                    .values_list("status", flat=True)) == ["01", "03"]
    assert not SenderNotice.objects.filter(sent_at__isnull=True).exists()
