"""An issued document travels through the exchange app to another agency of the same
instance: it is registered there, and the statuses come back onto the outgoing record."""

import pytest

from digigov.documents import services
from digigov.documents.models import IncomingDocument
from digigov.signing import services as signing

from .conftest import issued

pytestmark = pytest.mark.django_db(transaction=True)


def test_issue_to_a_local_agency_and_statuses_back(ca, specialist_a, leader_a, clerk_a,
                                                   commune_a, commune_b, leader_b):
    exchange = pytest.importorskip("digigov.exchange.services")
    signing.issue_credential(agency=commune_a)
    signing.issue_credential(officer=leader_a)
    signing.issue_credential(agency=commune_b)
    document = issued(specialist_a, leader_a, clerk_a, commune_a, recipients=[
        {"kind": "external", "organ_code": commune_b.code}])
    exchange.drain(timeout=60)
    incoming = IncomingDocument.objects.get(recipient=commune_b)
    assert incoming.document_id == document.document_id
    assert incoming.number_notation == "01/UBND-VP"
    assert incoming.signatures_valid is True  # the PAdES signatures checked on arrival
    services.assign(incoming, actor=leader_b, targets=[{"person": leader_b}])
    exchange.drain(timeout=60)
    statuses = list(document.exchange_statuses.values_list("status", flat=True))
    assert statuses[:1] == ["01"]
    assert "03" in statuses and "04" in statuses
    recipient = document.recipients.get()
    assert recipient.sent_at is not None and recipient.status == "04"
