import pytest
from django.urls import reverse

from digigov.accounts.models import Role, RoleAssignment
from digigov.catalog.models import Procedure
from digigov.catalog.services import catalog_admin_group, load_catalog
from tests.conftest import PASSWORD, make_official

NAME = "Thủ tục đăng ký khai sinh"


@pytest.fixture
def commune_a(catalog_units):
    return catalog_units["communes"][0]


@pytest.fixture
def commune_b(catalog_units):
    return catalog_units["communes"][1]


@pytest.fixture
def loaded(catalog_units, commune_a, commune_b):
    load_catalog(catalog_units)
    only_b = Procedure.objects.get(national_code="1.004884.000.00.00.H37")
    only_b.competent_agencies.set([commune_b])
    shared = Procedure.objects.get(national_code="1.001193.000.00.00.H37")
    return only_b, shared


@pytest.fixture
def admin_a(client, commune_a):
    user = make_official("quantri.a@example.vn", commune_a, Role.AGENCY_ADMIN)
    user.is_staff = True
    user.save()
    user.groups.add(catalog_admin_group())
    assert client.login(username="quantri.a@example.vn", password=PASSWORD)
    return user


def _change_url(obj):
    return reverse(f"admin:catalog_{obj._meta.model_name}_change", args=[obj.pk])


def test_agency_admin_lists_only_procedures_of_their_agency(client, admin_a, loaded):
    only_b, shared = loaded
    response = client.get(reverse("admin:catalog_procedure_changelist"))
    assert response.status_code == 200
    listed = set(response.context["cl"].queryset)
    assert shared in listed and only_b not in listed
    versions = client.get(reverse("admin:catalog_procedureversion_changelist"))
    assert only_b.versions.get() not in set(versions.context["cl"].queryset)


def test_agency_admin_cannot_open_or_change_another_communes_procedure(client, admin_a, loaded):
    only_b, _shared = loaded
    response = client.get(_change_url(only_b))
    assert response.status_code == 302  # the admin answers "does not exist" and goes home
    response = client.post(_change_url(only_b), {"name": "Đổi tên trái phép"})
    assert response.status_code == 302
    only_b.refresh_from_db()
    assert only_b.name == "Thủ tục đăng ký lại khai sinh"
    version = only_b.versions.get()
    assert client.get(_change_url(version)).status_code == 302
    client.post(reverse("admin:catalog_procedure_delete", args=[only_b.pk]), {"post": "yes"})
    assert Procedure.objects.filter(pk=only_b.pk).exists()


def test_agency_admin_edits_their_procedure_and_keeps_other_agencies(client, admin_a, loaded,
                                                                     commune_a, commune_b):
    _only_b, shared = loaded
    page = client.get(_change_url(shared))
    assert page.status_code == 200
    offered = page.context["adminform"].form.fields["competent_agencies"].queryset
    assert list(offered) == [commune_a]
    version = shared.versions.get()
    data = {
        "national_code": shared.national_code, "name": NAME + " (sửa)", "name_en": shared.name_en,
        "sector": shared.sector_id, "level": shared.level, "is_published": "on",
        "competent_agencies": [commune_a.pk],
        "versions-TOTAL_FORMS": "1", "versions-INITIAL_FORMS": "1",
        "versions-MIN_NUM_FORMS": "0", "versions-MAX_NUM_FORMS": "1000",
        "versions-0-id": version.pk, "versions-0-procedure": shared.pk,
        "versions-0-effective_from": "2025-07-01", "versions-0-effective_to": "",
        "versions-0-service_level": "full", "versions-0-time_limit_amount": "0",
        "versions-0-time_limit_unit": "same_day", "versions-0-fee_counter": "0",
        "versions-0-fee_online": "0",
    }
    response = client.post(_change_url(shared), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    shared.refresh_from_db()
    assert shared.name == NAME + " (sửa)"
    assert set(shared.competent_agencies.all()) == {commune_a, commune_b}


def test_agency_admin_edits_steps_of_their_version(client, admin_a, loaded):
    _only_b, shared = loaded
    version = shared.versions.get()
    page = client.get(_change_url(version))
    assert page.status_code == 200
    inline_models = {f.formset.model for f in page.context["inline_admin_formsets"]}
    assert {"componentspec", "formfield", "processstep"} <= {
        m._meta.model_name for m in inline_models}


def test_official_without_the_role_sees_no_procedure(client, loaded, commune_a):
    user = make_official("motcua.a@example.vn", commune_a, Role.COUNTER_OFFICER)
    user.is_staff = True
    user.save()
    user.groups.add(catalog_admin_group())
    client.force_login(user)
    response = client.get(reverse("admin:catalog_procedure_changelist"))
    assert list(response.context["cl"].queryset) == []
    assert client.get(reverse("admin:catalog_procedure_add")).status_code == 403


def test_superuser_sees_everything(admin_client, loaded):
    response = admin_client.get(reverse("admin:catalog_procedure_changelist"))
    assert set(loaded) <= set(response.context["cl"].queryset)


def test_user_admin_shows_roles_and_read_only_tokens(admin_client, commune_a):
    from digigov.accounts.models import ApiToken

    user = make_official("quantri.b@example.vn", commune_a, Role.AGENCY_ADMIN)
    ApiToken.issue(user, "Hệ thống một cửa")
    page = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert ApiToken.objects.get().prefix in html
    assert ApiToken.objects.get().key_hash not in html
    assert RoleAssignment.objects.get(user=user).agency.code in html

