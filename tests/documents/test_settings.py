"""The agency's document settings: notation and secrecy clearances, by page and API."""

import pytest
from django.urls import reverse

from digigov.audit.models import AuditEvent
from digigov.core.errors import InvalidInput, NotAllowed
from digigov.documents import clearances
from digigov.documents.models import Clearance, IssuerProfile
from digigov.documents.permissions import visible_outgoing
from tests.api.conftest import assert_problem, client_for
from tests.conftest import PASSWORD

from .conftest import clear, draft

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)
    return client


def test_an_administrator_clears_a_colleague_who_then_sees_secret_documents(
        admin_a, specialist_a, leader_a, commune_a):
    clear(specialist_a, commune_a, "mat")
    secret = draft(specialist_a, commune_a, secrecy="mat")
    assert secret not in visible_outgoing(leader_a)
    clearances.grant(actor=admin_a, user=leader_a, agency=commune_a, level="mat")
    assert secret in visible_outgoing(leader_a)
    clearances.grant(actor=admin_a, user=leader_a, agency=commune_a, level="")
    assert secret not in visible_outgoing(leader_a)
    events = AuditEvent.objects.filter(action="documents.clearance").order_by("pk")
    assert [(e.from_state, e.to_state) for e in events] == [("", "mat"), ("mat", "")]


def test_only_an_administrator_of_the_agency_grants(leader_a, specialist_a, commune_a,
                                                    commune_b, admin_a):
    with pytest.raises(NotAllowed):
        clearances.grant(actor=leader_a, user=specialist_a, agency=commune_a, level="mat")
    with pytest.raises(NotAllowed):  # an administrator of A, at commune B
        clearances.grant(actor=admin_a, user=specialist_a, agency=commune_b, level="mat")
    assert not Clearance.objects.exists()


def test_only_officials_of_the_agency_or_its_units_are_cleared(admin_a, leader_b, citizen,
                                                               office_specialist, commune_a):
    for outsider in (leader_b, citizen):
        with pytest.raises(InvalidInput):
            clearances.grant(actor=admin_a, user=outsider, agency=commune_a, level="toi_mat")
    with pytest.raises(InvalidInput):
        clearances.grant(actor=admin_a, user=office_specialist, agency=commune_a, level="top")
    assert not Clearance.objects.exists()
    assert not AuditEvent.objects.filter(action="documents.clearance").exists()
    clearances.grant(actor=admin_a, user=office_specialist, agency=commune_a, level="toi_mat")
    assert Clearance.objects.get().level == "toi_mat"


def test_the_settings_page_grants_and_withdraws(client, admin_a, leader_a, commune_a):
    login(client, admin_a)
    page = client.get(reverse("documents:settings"))
    assert page.status_code == 200
    assert "Quyền tiếp cận văn bản mật" in page.content.decode()
    url = reverse("documents:settings_clearance", args=[commune_a.code])
    response = client.post(url, {"user": leader_a.pk, "level": "tuyet_mat"})
    assert response.status_code == 302
    assert Clearance.objects.get(user=leader_a).level == "tuyet_mat"
    assert leader_a.full_name in client.get(reverse("documents:settings")).content.decode()
    client.post(url, {"user": leader_a.pk, "level": ""})
    assert not Clearance.objects.exists()


def test_the_settings_page_sets_the_notation(client, clerk_a, commune_a):
    login(client, clerk_a)
    page = client.get(reverse("documents:settings")).content.decode()
    assert "Ký hiệu văn bản" in page
    assert "Quyền tiếp cận văn bản mật" not in page  # clearances are the administrator's
    client.post(reverse("documents:settings_profile", args=[commune_a.code]),
                {"abbreviation": "UBND", "place": "Tân Thanh"})
    profile = IssuerProfile.objects.get(agency=commune_a)
    assert (profile.abbreviation, profile.place) == ("UBND", "Tân Thanh")
    response = client.post(reverse("documents:settings_profile", args=[commune_a.code]),
                           {"abbreviation": "U B N D"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.abbreviation == "UBND"  # refused, unchanged


def test_others_cannot_open_or_post_the_settings(client, specialist_a, admin_a, leader_a,
                                                 commune_a, commune_b):
    login(client, specialist_a)
    assert client.get(reverse("documents:settings")).status_code == 403
    assert client.post(reverse("documents:settings_clearance", args=[commune_a.code]),
                       {"user": specialist_a.pk, "level": "mat"}).status_code == 403
    login(client, admin_a)
    assert client.post(reverse("documents:settings_clearance", args=[commune_b.code]),
                       {"user": leader_a.pk, "level": "mat"}).status_code == 403
    assert not Clearance.objects.exists()


def test_clearances_over_the_api(admin_a, leader_a, specialist_a, commune_a):
    api = client_for(admin_a)
    body = {"agency_code": commune_a.code, "user_uuid": str(leader_a.uuid), "level": "mat"}
    response = api.put("/api/v1/documents/clearances", body)
    assert response.status_code == 200, response.content
    assert response.json()["level"] == "mat"
    listed = api.get(f"/api/v1/documents/clearances?agency_code={commune_a.code}").json()
    assert [c["user_uuid"] for c in listed] == [str(leader_a.uuid)]
    assert_problem(api.put("/api/v1/documents/clearances", {**body, "level": "secret"}), 422)
    assert Clearance.objects.get().level == "mat"
    assert_problem(client_for(specialist_a).get(
        f"/api/v1/documents/clearances?agency_code={commune_a.code}"), 403)
    assert_problem(client_for(specialist_a).put("/api/v1/documents/clearances", body), 403)
    assert api.put("/api/v1/documents/clearances", {**body, "level": ""}).status_code == 204
    assert not Clearance.objects.exists()


def test_issuer_profile_over_the_api(clerk_a, specialist_a, commune_a):
    url = f"/api/v1/documents/issuer-profiles/{commune_a.code}"
    response = client_for(clerk_a).put(url, {"abbreviation": "UBND", "place": "Tân Thanh"})
    assert response.status_code == 200, response.content
    assert response.json() == {"agency_code": commune_a.code, "abbreviation": "UBND",
                               "place": "Tân Thanh"}
    assert_problem(client_for(specialist_a).put(url, {"abbreviation": "XA"}), 403)
    assert IssuerProfile.objects.get().abbreviation == "UBND"
