"""Several packages per request: accepted in order and once, a refused one answered on its
own without losing the others, a failure on the receiving side holding the rest in order;
the batch endpoint over HTTP and the sender's fallback for peers without it."""

import base64
import json

import pytest

from digigov.exchange import edxml, services, transport
from digigov.exchange.models import InboxMessage, OutboxMessage, RejectedPackage

from .conftest import document_package, failing_second_call, organ


@pytest.fixture
def packages(remote, commune_a):
    """Three signed documents from the remote agency to commune A, numbered 31-33."""
    return [remote.sign(edxml.build_document(document_package(
        remote.organ(), [organ(commune_a)], number=str(n)))) for n in (31, 32, 33)]


def _numbers(fake_documents):
    return [f["number"] for f in fake_documents.registered]


def test_batch_is_accepted_in_order(peer, cred_a, packages, fake_documents):
    items = services.receive_batch(packages, remote_addr="10.0.0.9")
    assert [i.received.outcome for i in items] == ["accepted"] * 3
    assert _numbers(fake_documents) == ["31", "32", "33"]
    inbox = InboxMessage.objects.order_by("pk").values_list("document_id", flat=True)
    assert [d.split(",")[-1] for d in inbox] == ["31/UBND-VP", "32/UBND-VP", "33/UBND-VP"]
    statuses = OutboxMessage.objects.order_by("seq")
    assert [(m.status_code, m.document_id.split(",")[-1]) for m in statuses] == [
        ("01", "31/UBND-VP"), ("01", "32/UBND-VP"), ("01", "33/UBND-VP")]


def test_the_same_batch_again_changes_nothing(peer, cred_a, packages, fake_documents):
    services.receive_batch(packages)
    again = services.receive_batch(packages)
    assert [i.received.outcome for i in again] == ["duplicate"] * 3
    assert _numbers(fake_documents) == ["31", "32", "33"]
    assert InboxMessage.objects.count() == 3 and OutboxMessage.objects.count() == 3


def test_a_bad_package_in_the_middle_is_refused_alone(peer, cred_a, packages,
                                                      fake_documents):
    tampered = packages[1].replace("Phó Chủ tịch".encode(), "Chủ tịch".encode())
    assert tampered != packages[1]
    items = services.receive_batch([packages[0], tampered, b"<not-edxml", packages[2]])
    assert items[0].received.outcome == "accepted" and items[3].received.outcome == "accepted"
    assert (items[1].refused.code, items[1].refused.status) == ("signature_invalid", 403)
    assert items[2].refused.code == "invalid_package"
    assert _numbers(fake_documents) == ["31", "33"]
    assert RejectedPackage.objects.count() == 2  # both refusals logged, nothing else kept
    # Once fixed, the sender's copy of the refused document goes through on its own.
    assert services.receive_batch([packages[1]])[0].received.outcome == "accepted"


def test_a_failure_here_keeps_the_earlier_and_holds_the_rest_in_order(
        peer, cred_a, packages, fake_documents, monkeypatch):
    monkeypatch.setattr("digigov.exchange.bridge.register_incoming",
                        failing_second_call(fake_documents.register))
    items = services.receive_batch(packages)
    assert items[0].received.outcome == "accepted"
    assert [bool(i.retry) for i in items[1:]] == [True, True]
    assert "database busy" in items[1].retry
    assert InboxMessage.objects.count() == 1 and OutboxMessage.objects.count() == 1
    # The sender sends the rest again, in order: nothing lost, nothing doubled.
    items = services.receive_batch(packages)
    assert [i.received.outcome for i in items] == ["duplicate", "accepted", "accepted"]
    assert _numbers(fake_documents) == ["31", "32", "33"]


def test_too_many_packages_are_refused(monkeypatch, db):
    monkeypatch.setattr(services, "MAX_BATCH_PACKAGES", 2)
    with pytest.raises(services.InvalidInput):
        services.receive_batch([b"<a/>"] * 3)


# --- HTTP ----------------------------------------------------------------------------

def _body(payloads) -> str:
    return json.dumps({"packages": [base64.b64encode(p).decode() for p in payloads]})


def test_batch_endpoint_answers_each_package(client, peer, cred_a, packages, fake_documents):
    response = client.post("/lien-thong/edxml/batch/", _body([packages[0], b"<x/>"]),
                           content_type="application/json")
    assert response.status_code == 200
    first, second = response.json()["results"]
    assert first["result"] == "accepted" and first["document_id"].endswith("31/UBND-VP")
    assert (second["result"], second["status"], second["code"]) == (
        "refused", 422, "invalid_package")


def test_batch_endpoint_refuses_a_malformed_batch(client, db, monkeypatch):
    for body in ("{", json.dumps({"packages": []}), json.dumps({"packages": ["***"]}),
                 json.dumps([1])):
        response = client.post("/lien-thong/edxml/batch/", body,
                               content_type="application/json")
        assert response.status_code == 400 and response.json()["code"] == "invalid_batch"
    monkeypatch.setattr(services, "MAX_BATCH_PACKAGES", 1)
    too_many = client.post("/lien-thong/edxml/batch/", _body([b"<a/>", b"<b/>"]),
                           content_type="application/json")
    assert too_many.status_code == 413


def test_transport_posts_a_batch(live_server, peer, cred_a, packages, fake_documents):
    url = transport.batch_url(f"{live_server.url}/lien-thong/edxml/")
    outcomes = transport.post_batch(url, [packages[0], b"<x/>", packages[1]],
                                    package_ids=["a", "b", "c"])
    assert [(o.ok, o.permanent) for o in outcomes] == [(True, False), (False, True),
                                                       (True, False)]
    assert "422" in outcomes[1].detail
    # A peer without the batch endpoint: None, and the sender goes one by one.
    assert transport.post_batch(f"{live_server.url}/lien-thong/nothing-here/",
                                packages[:2], package_ids=["a", "b"]) is None
    down = transport.post_batch("http://127.0.0.1:9/lien-thong/edxml/batch/", packages[:2],
                                package_ids=["a", "b"])
    assert len(down) == 1 and not down[0].ok and not down[0].permanent
    transport._session().close()
