"""Receiving packages from a peer: acceptance, idempotency, refusals, statuses back."""

import pytest

from digigov.audit.models import AuditEvent
from digigov.core.errors import InvalidInput
from digigov.exchange import edxml, services, xmlsig
from digigov.exchange.models import (
    InboxMessage,
    InboxState,
    OutboxMessage,
    RejectedPackage,
    StatusRecord,
)

from .conftest import Remote, document_package, organ


@pytest.fixture
def incoming(remote, commune_a):
    """A signed package from the remote agency to commune A."""
    package = document_package(remote.organ(), [organ(commune_a)], number="77",
                               notation="UBND-VX")
    return package, remote.sign(edxml.build_document(package))


def test_document_is_registered_and_answered_with_01(
        peer, remote, commune_a, cred_a, incoming, fake_documents):
    package, data = incoming
    received = services.receive_package(data, remote_addr="10.0.0.9")
    assert (received.outcome, received.kind) == ("accepted", "document")
    assert received.document_id == f"{remote.code},2026/11/20,77/UBND-VX"

    [fields] = fake_documents.registered
    assert fields["recipient"] == commune_a
    assert fields["sender_code"] == remote.code and fields["sender_name"] == remote.name
    assert (fields["number"], fields["notation"]) == ("77", "UBND-VX")
    assert fields["signer_authority"] == "KT. CHỦ TỊCH"
    assert fields["attachments"] == [("cong-van.pdf", "application/pdf",
                                      package.attachments[0].data)]
    assert fields["priority"] == 1 and fields["business_type"] == 0
    assert fields["signatures_valid"] is True

    inbox = InboxMessage.objects.get()
    assert inbox.state == InboxState.REGISTERED and inbox.peer == peer
    assert inbox.incoming_document_id is None  # the stand-in registers no document row
    assert remote.code in inbox.signer_subject or remote.name in inbox.signer_subject

    # 01 (arrived) at once; 03 comes from the documents app's notice (test_documents.py).
    statuses = list(OutboxMessage.objects.order_by("seq"))
    assert [(m.kind, m.status_code, m.seq) for m in statuses] == [("status", "01", 1)]
    assert {m.channel.peer for m in statuses} == {peer}
    for message in statuses:
        root = edxml.parse_bytes(bytes(message.payload))
        status = edxml.read(root)
        assert edxml.validate(root) == "status"
        assert status.document_id == received.document_id
        assert status.sender.code == commune_a.code and status.recipient.code == remote.code
        xmlsig.verify(root, organ_code=commune_a.code,
                      trusted=[xmlsig.signing_certificate(root)],
                      at=message.created_at)
    assert AuditEvent.objects.filter(action="exchange.document_received").exists()


def test_same_package_twice_is_accepted_once(peer, cred_a, incoming, fake_documents):
    _, data = incoming
    assert services.receive_package(data).outcome == "accepted"
    again = services.receive_package(data)
    assert again.outcome == "duplicate"
    assert len(fake_documents.registered) == 1
    assert InboxMessage.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_same_document_and_business_type_in_a_new_package_is_a_duplicate(
        peer, remote, commune_a, cred_a, incoming, fake_documents):
    package, data = incoming
    services.receive_package(data)
    resent = remote.sign(edxml.build_document(
        document_package(remote.organ(), [organ(commune_a)], number="77", notation="UBND-VX",
                         package_id="0b6b7d1c-2f4a-4d8e-9b1a-5c6d7e8f9a0b")))
    assert services.receive_package(resent).outcome == "duplicate"
    assert len(fake_documents.registered) == 1
    revoke = remote.sign(edxml.build_document(
        document_package(remote.organ(), [organ(commune_a)], number="77", notation="UBND-VX",
                         business_type=1, business_reason="Ban hành nhầm")))
    assert services.receive_package(revoke).outcome == "accepted"
    assert [f["business_type"] for f in fake_documents.registered] == [0, 1]


def test_schema_violation_is_refused_and_nothing_stored(peer, remote, commune_a, cred_a,
                                                        fake_documents):
    root = edxml.build_document(document_package(remote.organ(), [organ(commune_a)]))
    root.find(".//edXML:OtherInfo/edXML:Priority", {"edXML": edxml.NS}).text = "9"
    data = remote.sign(root)
    with pytest.raises(services.PackageRefused) as refused:
        services.receive_package(data)
    assert refused.value.status == 422 and refused.value.code == "invalid_package"
    assert "Priority" in str(refused.value.message)
    assert not InboxMessage.objects.exists() and not OutboxMessage.objects.exists()
    assert fake_documents.registered == []
    assert RejectedPackage.objects.get().size == len(data)


def test_not_xml_is_refused(db):
    with pytest.raises(services.PackageRefused, match="well-formed"):
        services.receive_package(b"hello")
    assert RejectedPackage.objects.count() == 1


def test_tampered_package_is_refused_and_recorded(peer, remote, cred_a, incoming,
                                                  fake_documents):
    _, data = incoming
    forged = data.replace("Đề nghị các cơ quan".encode(), "Yêu cầu các cơ quan".encode())
    with pytest.raises(services.SignatureInvalid) as refused:
        services.receive_package(forged, remote_addr="203.0.113.5")
    assert refused.value.status == 403
    assert not InboxMessage.objects.exists() and fake_documents.registered == []
    rejected = RejectedPackage.objects.get()
    assert rejected.claimed_sender == remote.code
    assert rejected.remote_addr == "203.0.113.5"
    assert "does not match" in rejected.reason


def test_package_signed_by_an_unregistered_system_is_refused(peer, commune_a, cred_a,
                                                             fake_documents):
    impostor = Remote()  # claims the peer's organ code, signs with another CA
    data = impostor.sign(edxml.build_document(
        document_package(impostor.organ(), [organ(commune_a)])))
    with pytest.raises(services.SignatureInvalid, match="not one registered"):
        services.receive_package(data)
    assert fake_documents.registered == []


def test_unknown_sender_is_refused(remote, commune_a, cred_a, incoming, fake_documents):
    _, data = incoming  # no peer registered for the remote organ code
    with pytest.raises(services.SignatureInvalid, match="not a registered peer"):
        services.receive_package(data)


def test_a_peer_cannot_speak_for_a_local_agency(peer, remote, commune_a, commune_b, cred_a,
                                                fake_documents):
    spoof = Remote(code=commune_b.code, name=commune_b.name)
    data = spoof.sign(edxml.build_document(document_package(spoof.organ(),
                                                            [organ(commune_a)])))
    with pytest.raises(services.SignatureInvalid):
        services.receive_package(data)


def test_recipient_must_be_an_agency_here(peer, remote, fake_documents):
    data = remote.sign(edxml.build_document(document_package(
        remote.organ(), [edxml.Organ("000.00.00.H01", "UBND tỉnh khác")])))
    with pytest.raises(services.PackageRefused, match="no recipient"):
        services.receive_package(data)


def test_registration_refused_answers_02(peer, cred_a, incoming, fake_documents):
    fake_documents.refuse_with = InvalidInput("Cơ quan nhận đã giải thể.")
    _, data = incoming
    assert services.receive_package(data).outcome == "accepted"
    inbox = InboxMessage.objects.get()
    assert inbox.state == InboxState.REFUSED and "giải thể" in inbox.note
    codes = list(OutboxMessage.objects.order_by("seq").values_list("status_code", flat=True))
    assert codes == ["01", "02"]
    status = edxml.read(edxml.parse_bytes(bytes(OutboxMessage.objects.get(status_code="02")
                                                .payload)))
    assert "giải thể" in status.description


def test_status_from_the_peer_is_recorded_on_the_sent_document(
        peer, remote, commune_a, cred_a, fake_documents, monkeypatch):
    [sent] = services.send_package(
        document_package(organ(commune_a), [remote.organ()]), outgoing_document_id=41)
    from .conftest import status_package

    for code in ("01", "03"):
        data = remote.sign(edxml.build_status(status_package(
            remote.organ(), organ(commune_a), sent.document_id, code)))
        assert services.receive_package(data).outcome == "accepted"
        assert services.receive_package(data).outcome == "duplicate"
    records = list(StatusRecord.objects.order_by("status_code"))
    assert [(r.status_code, r.recipient_code, r.outgoing_document_id) for r in records] == [
        ("01", remote.code, 41), ("03", remote.code, 41)]
    assert [(s["outgoing"], s["status"], s["recipient_code"])
            for s in fake_documents.statuses] == [(41, "01", remote.code),
                                                  (41, "03", remote.code)]


def test_status_for_a_document_never_sent_is_refused(peer, remote, commune_a, cred_a,
                                                     fake_documents):
    from .conftest import status_package

    data = remote.sign(edxml.build_status(status_package(
        remote.organ(), organ(commune_a), f"{commune_a.code},2026/11/20,99/UBND")))
    with pytest.raises(services.PackageRefused, match="sent no document"):
        services.receive_package(data)
    assert not StatusRecord.objects.exists()
