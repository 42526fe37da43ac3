"""Pages, the /api/v1/exchange endpoints, the receiving endpoints and the commands."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from digigov.accounts.models import ApiToken, Role
from digigov.exchange import edxml, services, transport
from digigov.exchange.models import InboxMessage, OutboxMessage, Peer, RejectedPackage
from tests.conftest import PASSWORD, make_official

from .conftest import Remote, document_package, organ


@pytest.fixture
def admin_a(commune_a):
    return make_official("quantri.a@example.vn", commune_a, Role.AGENCY_ADMIN)


def _bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user, 'test')[1]}"}


@pytest.fixture
def incoming(remote, commune_a):
    return remote.sign(edxml.build_document(document_package(remote.organ(),
                                                             [organ(commune_a)])))


# --- receiving over HTTP ---------------------------------------------------------------

@pytest.mark.parametrize("url", ["/lien-thong/edxml/", "/api/v1/exchange/packages"])
def test_receive_over_http(client, url, peer, cred_a, incoming, fake_documents):
    response = client.post(url, incoming, content_type="application/xml")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["result"] == "accepted" and body["kind"] == "document"
    again = client.post(url, incoming, content_type="application/xml")
    assert again.status_code == 200 and again.json()["result"] == "duplicate"
    assert len(fake_documents.registered) == 1


@pytest.mark.parametrize("url", ["/lien-thong/edxml/", "/api/v1/exchange/packages"])
def test_forged_package_is_refused_over_http(client, url, peer, cred_a, incoming,
                                             fake_documents):
    forged = incoming.replace("V/v triển khai".encode(), "V/v hủy bỏ".encode())
    response = client.post(url, forged, content_type="application/xml")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "signature_invalid"
    assert not InboxMessage.objects.exists()
    assert RejectedPackage.objects.count() == 1


def test_invalid_xml_is_a_422_problem(client, db):
    response = client.post("/lien-thong/edxml/", b"<a>", content_type="application/xml")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_package"


def test_receive_endpoint_only_takes_post(client, db):
    assert client.get("/lien-thong/edxml/").status_code == 405


def test_transport_talks_to_the_receiving_endpoint(live_server, peer, remote, commune_a,
                                                   cred_a, incoming, fake_documents):
    outcome = transport.post_package(f"{live_server.url}/lien-thong/edxml/", incoming,
                                     package_id="x")
    assert outcome.ok
    refused = transport.post_package(f"{live_server.url}/lien-thong/edxml/", b"<x/>",
                                     package_id="y")
    assert not refused.ok and refused.permanent and "422" in refused.detail
    down = transport.post_package("http://127.0.0.1:9/lien-thong/edxml/", incoming,
                                  package_id="z")
    assert not down.ok and not down.permanent
    plain = transport.post_package("http://peer.example.vn/lien-thong/edxml/", incoming,
                                   package_id="w")
    assert plain.permanent and "HTTPS" in plain.detail
    transport._session().close()  # no kept-alive connection left to the stopping server


# --- pages ---------------------------------------------------------------------------

def test_pages_for_officials(client, admin_a, peer, remote, commune_a, cred_a, incoming,
                             fake_documents):
    services.receive_package(incoming)
    client.login(email=admin_a.email, password=PASSWORD)
    outbox = client.get(reverse("exchange:outbox"))
    assert outbox.status_code == 200
    assert remote.code in outbox.content.decode()  # the status 01 to the peer
    inbox = client.get(reverse("exchange:inbox"))
    assert inbox.status_code == 200 and remote.name in inbox.content.decode()
    peers = client.get(reverse("exchange:peers"))
    assert peers.status_code == 200 and "Hệ thống TP.HCM" in peers.content.decode()
    assert "/lien-thong/edxml/" in peers.content.decode()
    assert client.get(reverse("exchange:refused")).status_code == 200
    message = OutboxMessage.objects.get()
    xml = client.get(reverse("exchange:package_xml", args=[message.uuid]))
    assert xml.status_code == 200 and xml.content == bytes(message.payload)


def test_pages_need_an_official(client, citizen):
    assert client.get(reverse("exchange:outbox")).status_code == 302
    client.force_login(citizen)
    assert client.get(reverse("exchange:outbox")).status_code == 403


def test_other_agencies_packages_are_not_shown(client, peer, remote, commune_a, commune_b,
                                               cred_a, incoming, fake_documents):
    services.receive_package(incoming)
    clerk_b = make_official("vanthu.b@example.vn", commune_b, Role.SPECIALIST)
    client.login(email=clerk_b.email, password=PASSWORD)
    assert remote.code not in client.get(reverse("exchange:inbox")).content.decode()
    message = OutboxMessage.objects.get()
    assert client.get(reverse("exchange:package_xml", args=[message.uuid])).status_code == 404


def test_agency_admin_adds_and_removes_a_peer(client, admin_a):
    other = Remote(code="000.00.00.H01", name="UBND Thành phố Hà Nội")
    client.login(email=admin_a.email, password=PASSWORD)
    response = client.post(reverse("exchange:peers"), {
        "name": "Hà Nội", "endpoint_url": "https://hn.example.vn/lien-thong/edxml/",
        "organ_codes": "000.00.00.H01\n000.01.00.H01", "certificate_pem": other.ca_pem})
    assert response.status_code == 302
    peer = Peer.objects.get(name="Hà Nội")
    assert peer.organ_codes == ["000.00.00.H01", "000.01.00.H01"]
    bad = client.post(reverse("exchange:peers"), {
        "name": "X", "endpoint_url": "http://x.example.vn/", "organ_codes": "abc",
        "certificate_pem": "không phải PEM"})
    assert bad.status_code == 422 and "HTTPS" in bad.content.decode()
    client.post(reverse("exchange:peer_remove", args=[peer.uuid]))
    peer.refresh_from_db()
    assert not peer.is_active and peer.organ_codes == []


def test_specialist_cannot_manage_peers(client, specialist_a, peer):
    client.login(email=specialist_a.email, password=PASSWORD)
    page = client.get(reverse("exchange:peers"))
    assert page.status_code == 200
    assert 'method="post" novalidate' not in page.content.decode()
    assert client.post(reverse("exchange:peer_remove", args=[peer.uuid])).status_code == 403
    assert client.get(reverse("exchange:refused")).status_code == 403


def test_retry_button(client, admin_a, peer, remote, commune_a, cred_a, monkeypatch):
    [message] = services.send_package(document_package(organ(commune_a), [remote.organ()]))
    monkeypatch.setattr(transport, "post_package",
                        lambda url, payload, package_id: transport.Outcome(True))
    client.login(email=admin_a.email, password=PASSWORD)
    response = client.post(reverse("exchange:retry", args=[message.uuid]), follow=True)
    assert "Đã gửi 1 gói tin" in response.content.decode()
    message.refresh_from_db()
    assert message.state == "delivered"


# --- API -----------------------------------------------------------------------------

def test_api_peers(client, admin_a, specialist_a):
    other = Remote(code="000.00.00.H01", name="UBND Thành phố Hà Nội")
    payload = {"name": "Hà Nội", "endpoint_url": "https://hn.example.vn/lien-thong/edxml/",
               "organ_codes": ["000.00.00.H01"], "certificate_pem": other.ca_pem}
    denied = client.post("/api/v1/exchange/peers", json.dumps(payload),
                         content_type="application/json", **_bearer(specialist_a))
    assert denied.status_code == 403
    created = client.post("/api/v1/exchange/peers", json.dumps(payload),
                          content_type="application/json", **_bearer(admin_a))
    assert created.status_code == 201, created.content
    assert created.json()["organ_codes"] == ["000.00.00.H01"]
    taken = client.post("/api/v1/exchange/peers", json.dumps({**payload, "name": "Khác"}),
                        content_type="application/json", **_bearer(admin_a))
    assert taken.status_code == 422 and taken.json()["code"] == "organ_taken"
    listed = client.get("/api/v1/exchange/peers", **_bearer(specialist_a)).json()
    assert [p["name"] for p in listed] == ["Hà Nội"]
    uuid = created.json()["uuid"]
    assert client.delete(f"/api/v1/exchange/peers/{uuid}",
                         **_bearer(admin_a)).status_code == 204
    assert client.get("/api/v1/exchange/peers", **_bearer(admin_a)).json() == []


def test_api_outbox_inbox_statuses(client, admin_a, peer, remote, commune_a, cred_a,
                                   incoming, fake_documents, monkeypatch):
    services.receive_package(incoming)
    [sent] = services.send_package(document_package(organ(commune_a), [remote.organ()]))
    from .conftest import status_package

    services.receive_package(remote.sign(edxml.build_status(status_package(
        remote.organ(), organ(commune_a), sent.document_id, "03"))))
    auth = _bearer(admin_a)
    outbox = client.get("/api/v1/exchange/outbox?kind=document", **auth).json()
    assert outbox["count"] == 1
    item = outbox["items"][0]
    assert item["state"] == "pending" and item["destination"] == "Hệ thống TP.HCM"
    assert item["seq"] == 2  # after the status 01 to the same peer
    inbox = client.get("/api/v1/exchange/inbox", **auth).json()
    assert {i["kind"] for i in inbox["items"]} == {"document", "status"}
    statuses = client.get("/api/v1/exchange/statuses", {"document_id": sent.document_id},
                          **auth).json()
    assert [(s["status_code"], s["recipient_code"]) for s in statuses] == [("03", remote.code)]
    monkeypatch.setattr(transport, "post_batch",
                        lambda url, payloads, package_ids: [transport.Outcome(True)] * len(
                            payloads))
    retried = client.post(f"/api/v1/exchange/outbox/{sent.uuid}/retry", **auth)
    assert retried.status_code == 200 and retried.json()["state"] == "delivered"


def test_api_needs_an_official(client, citizen):
    assert client.get("/api/v1/exchange/outbox").status_code == 401
    assert client.get("/api/v1/exchange/outbox", **_bearer(citizen)).status_code == 403


# --- commands ------------------------------------------------------------------------

def test_exchange_peer_command(tmp_path, db):
    other = Remote(code="000.00.00.H01", name="UBND Thành phố Hà Nội")
    pem = tmp_path / "ca.pem"
    pem.write_text(other.ca_pem)
    out = io.StringIO()
    call_command("exchange_peer", "add", "Hà Nội", "--url",
                 "https://hn.example.vn/lien-thong/edxml/", "--organ", "000.00.00.H01",
                 "--organ", "000.01.00.H01", "--certificate", str(pem), stdout=out)
    assert "Peer added" in out.getvalue()
    out = io.StringIO()
    call_command("exchange_peer", "list", stdout=out)
    assert "000.00.00.H01,000.01.00.H01" in out.getvalue()
    with pytest.raises(CommandError, match="đã thuộc"):
        call_command("exchange_peer", "add", "Khác", "--url", "https://x.example.vn/",
                     "--organ", "000.00.00.H01", "--certificate", str(pem))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("exchange_peer", "add", "Khác", "--url", "https://x.example.vn/",
                     "--organ", "000.00.00.H02", "--certificate", str(tmp_path / "none"))
    call_command("exchange_peer", "remove", "Hà Nội", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No active peer"):
        call_command("exchange_peer", "remove", "Hà Nội")


def test_exchange_peer_remove_refused_while_packages_wait(peer, remote, commune_a, cred_a):
    services.send_package(document_package(organ(commune_a), [remote.organ()]))
    with pytest.raises(CommandError, match="chờ gửi"):
        call_command("exchange_peer", "remove", peer.name)


def test_exchange_send_command(peer, remote, commune_a, cred_a, monkeypatch):
    services.send_package(document_package(organ(commune_a), [remote.organ()]))
    monkeypatch.setattr(transport, "post_package",
                        lambda url, payload, package_id: transport.Outcome(True))
    out = io.StringIO()
    call_command("exchange_send", stdout=out)
    assert "delivered=1" in out.getvalue()
    out = io.StringIO()
    call_command("exchange_send", "--drain", "--timeout", "5", stdout=out)
    assert "delivered=0" in out.getvalue()


def test_exchange_send_drain_reports_what_still_waits(peer, remote, commune_a, cred_a,
                                                      monkeypatch, settings):
    settings.EXCHANGE_RETRY_BASE_SECONDS = 60
    services.send_package(document_package(organ(commune_a), [remote.organ()]))
    monkeypatch.setattr(transport, "post_package",
                        lambda url, payload, package_id: transport.Outcome(False, False, "down"))
    with pytest.raises(CommandError, match="still waiting"):
        call_command("exchange_send", "--drain", "--timeout", "0.5", stdout=io.StringIO())


def test_too_large_package_is_a_413(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = client.post("/lien-thong/edxml/", b"<x>" + b"a" * 200 + b"</x>",
                           content_type="application/xml")
    assert response.status_code == 413


def test_admin_lists_and_removes_peers(admin_client, peer):
    assert admin_client.get("/admin/exchange/peer/").status_code == 200
    assert admin_client.get(f"/admin/exchange/peer/{peer.pk}/change/").status_code == 200
    assert admin_client.get("/admin/exchange/outboxmessage/").status_code == 200
    admin_client.post("/admin/exchange/peer/", {"action": "remove_peers",
                                               "_selected_action": [peer.pk]})
    peer.refresh_from_db()
    assert not peer.is_active
