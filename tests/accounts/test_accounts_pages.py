"""Registration, sign-in, sign-out, profile and language through the pages."""

import pytest
from django.urls import reverse

from digigov.accounts.models import User
from tests.conftest import PASSWORD

NEW_PASSWORD = "Ho-so-truc-tuyen-2026"


def register(client, **overrides):
    data = {"full_name": "Phạm Thị Dung", "kind": "citizen", "email": "", "phone": "",
            "personal_id": "001199012345", "tax_code": "", "language": "vi",
            "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, **overrides}
    return client.post(reverse("accounts:register"), data)


def test_register_by_email_signs_the_citizen_in(client, db):
    response = register(client, email="Dung.Pham@Example.vn")
    assert response.status_code == 302 and response.url == reverse("portal:home")
    user = User.objects.get()
    assert user.email == "dung.pham@example.vn" and user.phone is None
    assert user.kind == User.Kind.CITIZEN and user.personal_id == "001199012345"
    assert user.check_password(NEW_PASSWORD)
    html = client.get(reverse("portal:home")).content.decode()
    assert "Phạm Thị Dung" in html and reverse("portal:my_dossiers") in html


def test_register_by_phone_then_log_in_by_phone(client, db):
    response = register(client, phone="+84 987 654 321", language="en")
    assert response.status_code == 302
    user = User.objects.get()
    assert user.phone == "0987654321" and user.email is None and user.language == "en"
    client.post(reverse("accounts:logout"))
    response = client.post(reverse("accounts:login"),
                           {"username": "0987 654 321", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_business_registers_with_a_tax_code(client, db):
    response = register(client, kind="business", full_name="Công ty TNHH Ánh Dương",
                        email="lienhe@anhduong.vn", personal_id="", tax_code="0101234567")
    assert response.status_code == 302
    user = User.objects.get()
    assert user.kind == User.Kind.BUSINESS and user.tax_code == "0101234567"
    assert user.personal_id == ""


@pytest.mark.parametrize("overrides, field, message", [
    ({"email": "nguyenvana@example.vn"}, "email", "Thư điện tử này đã được đăng ký"),
    ({"email": "NguyenVanA@Example.vn"}, "email", "Thư điện tử này đã được đăng ký"),
    ({"phone": "0912 345 678"}, "phone", "Số điện thoại này đã được đăng ký"),
    ({"email": "moi@example.vn", "personal_id": "020190001234"}, "personal_id",
     "Số định danh cá nhân này đã được dùng"),
])
def test_duplicate_registration_is_refused_with_a_clear_message(client, citizen, overrides,
                                                                field, message):
    response = register(client, **overrides)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert User.objects.count() == 1
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("overrides, field, message", [
    ({}, "email", "Hãy nhập thư điện tử hoặc số điện thoại."),
    ({"email": "a@example.vn", "personal_id": "12345"}, "personal_id", "đúng 12 chữ số"),
    ({"email": "a@example.vn", "personal_id": ""}, "personal_id", "Hãy nhập số định danh"),
    ({"email": "a@example.vn", "kind": "business", "tax_code": "12AB"}, "tax_code",
     "Mã số doanh nghiệp gồm 10 chữ số"),
    ({"email": "a@example.vn", "phone": "12345"}, "phone", "Số điện thoại không hợp lệ."),
    ({"email": "a@example.vn", "password2": "khac-hoan-toan-2026"}, "password2",
     "Hai mật khẩu không khớp."),
    ({"email": "a@example.vn", "password1": "12345678", "password2": "12345678"}, "password1",
     ""),
    ({"email": "a@example.vn", "kind": "official"}, "kind", ""),
])
def test_invalid_registration_creates_nothing(client, db, overrides, field, message):
    response = register(client, **overrides)
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert not User.objects.exists()


def test_login_by_phone_and_by_email_with_wrong_password_refused(client, citizen):
    url = reverse("accounts:login")
    response = client.post(url, {"username": "nguyenvana@example.vn", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Thư điện tử, số điện thoại hoặc mật khẩu không đúng." in response.content.decode()
    assert "_auth_user_id" not in client.session
    response = client.post(url, {"username": "0912345678", "password": PASSWORD,
                                 "next": reverse("portal:my_dossiers")})
    assert response.status_code == 302 and response.url == reverse("portal:my_dossiers")
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_logout_is_a_post_only(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    html = client.get(reverse("portal:home")).content.decode()
    assert f'action="{reverse("accounts:logout")}"' in html
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_official_sees_the_office_link_not_my_dossiers(client, counter_a):
    client.force_login(counter_a)
    html = client.get(reverse("portal:home")).content.decode()
    assert reverse("office:queue") in html
    assert reverse("portal:my_dossiers") not in html


def test_profile_edits_name_address_language_and_id(client, citizen):
    client.force_login(citizen)
    url = reverse("accounts:profile")
    html = client.get(url).content.decode()
    assert 'value="020190001234"' in html and "tax_code" not in html
    response = client.post(url, {"full_name": "Nguyễn Văn An", "address": "Số 1, xã A",
                                 "language": "id", "personal_id": "020190009999"})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.full_name, citizen.address, citizen.language, citizen.personal_id) == (
        "Nguyễn Văn An", "Số 1, xã A", "id", "020190009999")
    assert client.get(reverse("portal:home")).content.decode().count('lang="id"') >= 1


def test_profile_refuses_a_bad_or_taken_id_and_keeps_the_old_one(client, citizen, other_citizen):
    client.force_login(citizen)
    url = reverse("accounts:profile")
    for bad in ("0201", other_citizen.personal_id):
        response = client.post(url, {"full_name": "Nguyễn Văn A", "language": "vi",
                                     "personal_id": bad})
        assert response.status_code == 400
        assert 'id="id_personal_id_error"' in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.personal_id == "020190001234"


def test_profile_requires_login(client, db):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_language_switch_changes_the_page_language(client, db):
    assert '<html lang="vi">' in client.get(reverse("portal:home")).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/tra-cuu/"})
    assert response.status_code == 302 and response.url == "/tra-cuu/"
    assert '<html lang="en">' in client.get(reverse("portal:home")).content.decode()
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert '<html lang="id">' in client.get(reverse("portal:home")).content.decode()


def test_a_signed_in_users_language_is_used_until_they_switch(client, citizen):
    citizen.language = "en"
    citizen.save()
    client.force_login(citizen)
    assert '<html lang="en">' in client.get(reverse("portal:home")).content.decode()
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert '<html lang="vi">' in client.get(reverse("portal:home")).content.decode()
