"""/api/v1/datasets: the published catalog as JSON, thin over the same selectors."""

import pytest

pytestmark = pytest.mark.django_db


def test_list_and_filters(client, published, other_published, draft):
    body = client.get("/api/v1/datasets").json()
    assert body["count"] == 2
    assert [d["name"] for d in body["items"]] == ["diem-wifi-cong-cong", "ho-so-tiep-nhan"]
    assert client.get("/api/v1/datasets", {"q": "tiep nhan"}).json()["count"] == 1
    assert client.get("/api/v1/datasets", {"publisher": "000.02.37.H37"}).json()["items"][0][
        "name"] == "diem-wifi-cong-cong"
    assert client.get("/api/v1/datasets", {"tag": "thong ke"}).json()["count"] == 1
    assert client.get("/api/v1/datasets", {"format": "json"}).json()["count"] == 1
    assert client.get("/api/v1/datasets", {"group": "thong-ke"}).json()["count"] == 1
    page = client.get("/api/v1/datasets", {"limit": 1}).json()
    assert len(page["items"]) == 1 and page["next"]


def test_detail(client, published):
    body = client.get("/api/v1/datasets/ho-so-tiep-nhan").json()
    assert body["license_id"] == "CC-BY-4.0"
    assert body["organization"]["title"] == "UBND xã A"
    assert [r["format"] for r in body["resources"]] == ["CSV", "API"]
    assert body["resources"][0]["hash"].startswith("sha256:")


def test_drafts_and_unknown_are_404_problems(client, draft):
    response = client.get("/api/v1/datasets/ho-so-tiep-nhan")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/datasets/khong-co").status_code == 404
