import datetime as dt

from django.urls import reverse

from digigov.accounts.models import User
from digigov.orgs.services import merge_agencies


def test_agency_admin_lists_active_units_and_shows_the_successor_chain(admin_client, commune_a,
                                                                       commune_b, province):
    merge_agencies([commune_b], into=commune_a, on=dt.date(2026, 7, 1), actor=None)
    changelist = reverse("admin:orgs_agency_changelist")
    active = admin_client.get(changelist, {"active": "yes"}).context["cl"].queryset
    assert set(active) == {province, commune_a}
    closed = admin_client.get(changelist, {"active": "no"}).context["cl"].queryset
    assert list(closed) == [commune_b]
    page = admin_client.get(reverse("admin:orgs_agency_change", args=[commune_a.pk]))
    assert commune_b.code in page.content.decode()  # listed among its predecessors


def test_user_admin_creates_a_phone_only_account(admin_client):
    response = admin_client.post(reverse("admin:accounts_user_add"), {
        "email": "", "phone": "+84 912 000 111", "full_name": "Lò Văn Pản", "kind": "official",
        "password1": "Mat-khau-dai-2026", "password2": "Mat-khau-dai-2026",
        "usable_password": "true",
    })
    assert response.status_code == 302
    user = User.objects.get(phone="0912000111")
    assert user.email is None and user.check_password("Mat-khau-dai-2026")


def test_user_admin_refuses_an_account_without_login(admin_client):
    response = admin_client.post(reverse("admin:accounts_user_add"), {
        "email": "", "phone": "", "full_name": "Không tên", "kind": "citizen",
        "password1": "Mat-khau-dai-2026", "password2": "Mat-khau-dai-2026",
    })
    assert response.status_code == 200
    assert not User.objects.filter(full_name="Không tên").exists()
