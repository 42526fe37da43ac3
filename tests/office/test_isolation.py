"""An official of commune B gets 404 for everything of a dossier of commune A."""

import pytest
from django.urls import reverse

from digigov.dossiers import services
from digigov.dossiers.models import Status
from tests.conftest import PDF_BYTES

from .conftest import post_action, signed_in, snapshot


@pytest.fixture
def everything(received, counter_a, leader_a):
    """A commune A dossier with every printable form available: supplement, apology, stop."""
    services.apologise(official=counter_a, dossier=received, reason="Cần xác minh",
                       new_due_at=received.due_at.replace(day=10))
    services.request_supplement(official=counter_a, dossier=received, reason="Thiếu",
                                items=["Giấy chứng sinh"])
    return services.stop_processing(official=leader_a, dossier=received, reason="Không bổ sung")


def test_detail_is_404_in_another_commune(client, received, counter_b):
    url = reverse("office:detail", args=[received.uuid])
    assert signed_in(client, counter_b).get(url).status_code == 404


@pytest.mark.parametrize("action, data", [
    ("receive", {}), ("refuse", {"reason": "x"}),
    ("request_supplement", {"reason": "x", "items": "y"}), ("withdraw", {"reason": "x"}),
    ("stop_processing", {"reason": "x"}),
    ("apologise", {"reason": "x", "new_due_date": "2026-03-20", "new_due_time": "10:00"}),
])
def test_actions_are_404_in_another_commune(client, received, counter_b, action, data):
    before = snapshot(received)
    assert post_action(signed_in(client, counter_b), received, action, **data).status_code == 404
    assert snapshot(received) == before


def test_file_download_is_permission_checked(client, received, counter_a, counter_b, citizen):
    f = received.files.first()
    url = reverse("office:file", args=[received.uuid, f.uuid])
    assert signed_in(client, counter_b).get(url).status_code == 404
    assert signed_in(client, citizen).get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302

    response = signed_in(client, counter_a).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert f.original_name in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_a_file_is_only_served_under_its_own_dossier(client, received, dossier_b, counter_a,
                                                      counter_b):
    # B's officer, asking for A's file under B's own dossier: still 404.
    url = reverse("office:file", args=[dossier_b.uuid, received.files.first().uuid])
    assert signed_in(client, counter_b).get(url).status_code == 404


def test_printable_forms_are_404_in_another_commune(client, everything, counter_a, counter_b):
    assert everything.status == Status.STOPPED
    for number in ("01", "02", "04", "05", "06"):
        url = reverse("office:print", args=[everything.uuid, number])
        assert signed_in(client, counter_a).get(url).status_code == 200, number
        assert signed_in(client, counter_b).get(url).status_code == 404, number


def test_register_of_another_commune_is_refused(client, received, commune_a, counter_b):
    response = signed_in(client, counter_b).get(reverse("office:register"), {
        "agency": str(commune_a.uuid), "date_from": "2026-03-01", "date_to": "2026-03-31"})
    assert response.status_code == 400
    assert received.code not in response.content.decode()
