"""A received package and the incoming document it registered link to each other: the
inbox page and API point to the document (for those who may open it), the document's
page shows the package it came by, and the migration that made the link a foreign key
fills it for rows received before."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from digigov.accounts.models import ApiToken, Role
from digigov.documents.models import IncomingDocument
from digigov.exchange.models import InboxMessage
from tests.conftest import PASSWORD, make_official
from tests.documents.conftest import clerk_a, clerk_b, issued  # noqa: F401 - fixtures
from tests.documents.test_incoming import paper

from .test_documents import _no_tsa, keys  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def received(keys, specialist_a, leader_a, clerk_a, commune_a, commune_b):  # noqa: F811
    """A document issued by commune A to commune B, delivered and registered there."""
    sent = issued(specialist_a, leader_a, clerk_a, commune_a, recipients=[
        {"kind": "external", "organ_code": commune_b.code}])
    return IncomingDocument.objects.get(recipient=commune_b, document_id=sent.document_id)


@pytest.fixture
def specialist_b(commune_b):
    """Sees commune B's inbox, but not its incoming documents (none assigned to them)."""
    return make_official("chuyenvien.b@example.vn", commune_b, Role.SPECIALIST)


def _bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user, 'test')[1]}"}


def test_the_receipt_links_the_inbox_row_to_the_document(received):
    inbox = InboxMessage.objects.get(kind="document")
    assert inbox.incoming_document == received
    assert list(received.exchange_packages.all()) == [inbox]


def test_inbox_page_links_to_the_document_for_who_may_open_it(
        client, received, clerk_b, specialist_b):  # noqa: F811
    link = reverse("documents:incoming_detail", args=[received.uuid])
    client.login(email=clerk_b.email, password=PASSWORD)
    page = client.get(reverse("exchange:inbox")).content.decode()
    assert received.document_id in page and link in page

    client.login(email=specialist_b.email, password=PASSWORD)
    page = client.get(reverse("exchange:inbox")).content.decode()
    assert received.document_id in page and link not in page
    assert client.get(link).status_code == 404  # indeed not theirs to open


def test_api_inbox_gives_the_document_uuid_to_who_may_open_it(
        client, received, clerk_b, specialist_b):  # noqa: F811
    [item] = [i for i in client.get("/api/v1/exchange/inbox", **_bearer(clerk_b))
              .json()["items"] if i["kind"] == "document"]
    assert item["incoming_document"] == str(received.uuid)
    assert client.get(f"/api/v1/documents/incoming/{item['incoming_document']}",
                      **_bearer(clerk_b)).status_code == 200

    detail = client.get(f"/api/v1/documents/incoming/{received.uuid}", **_bearer(clerk_b))
    inbox = InboxMessage.objects.get(kind="document")
    [package] = detail.json()["exchange_packages"]
    received_at = dt.datetime.fromisoformat(package.pop("received_at"))
    assert abs(received_at - inbox.received_at) < dt.timedelta(milliseconds=1)
    assert package == {"sender_code": inbox.sender_code, "sender_name": inbox.sender_name,
                       "document_id": received.document_id,
                       "package_id": str(inbox.package_id), "business_type": 0}

    [item] = [i for i in client.get("/api/v1/exchange/inbox", **_bearer(specialist_b))
              .json()["items"] if i["kind"] == "document"]
    assert item["incoming_document"] is None


def test_document_page_shows_the_package_it_came_by(
        client, received, clerk_b, commune_a):  # noqa: F811
    inbox = InboxMessage.objects.get(kind="document")
    client.login(email=clerk_b.email, password=PASSWORD)
    page = client.get(reverse("documents:incoming_detail", args=[received.uuid]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nhận qua liên thông" in html
    assert commune_a.code in html and received.document_id in html
    assert str(inbox.package_id) in html
    assert timezone.localtime(inbox.received_at).strftime("%d/%m/%Y %H:%M:%S") in html


def test_paper_document_page_has_no_package(client, clerk_b, commune_b):  # noqa: F811
    document = paper(clerk_b, commune_b)
    client.login(email=clerk_b.email, password=PASSWORD)
    page = client.get(reverse("documents:incoming_detail", args=[document.uuid]))
    assert page.status_code == 200 and "Nhận qua liên thông" not in page.content.decode()


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def test_migration_fills_the_link_of_earlier_rows(
        keys, specialist_a, leader_a, clerk_a, commune_a, commune_b):  # noqa: F811
    sent = [issued(specialist_a, leader_a, clerk_a, commune_a, recipients=[
        {"kind": "external", "organ_code": commune_b.code}]) for _ in range(3)]
    documents = [IncomingDocument.objects.get(document_id=d.document_id) for d in sent]
    rows = [InboxMessage.objects.get(kind="document", document_id=d.document_id)
            for d in sent]
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("exchange")[0]
    try:
        old_apps = _migrate(("exchange", "0001_initial"))
        OldInbox = old_apps.get_model("exchange", "InboxMessage")
        # The row as received (its document's pk), one never linked, one pointing at
        # nothing: the last two are found again by DocumentId.
        assert OldInbox.objects.get(pk=rows[0].pk).incoming_document_id == documents[0].pk
        OldInbox.objects.filter(pk=rows[1].pk).update(incoming_document_id=None)
        OldInbox.objects.filter(pk=rows[2].pk).update(incoming_document_id=10**9)
    finally:
        _migrate(latest)
    for row, document in zip(rows, documents, strict=True):
        row.refresh_from_db()
        assert row.incoming_document_id == document.pk
    assert not InboxMessage.objects.filter(kind="status",
                                           incoming_document__isnull=False).exists()
