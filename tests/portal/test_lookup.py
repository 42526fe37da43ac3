"""Public status look-up: both the code and the applicant's ID or phone must match."""

from django.urls import reverse

from digigov.dossiers.views_portal import mask_name

NOT_FOUND = "Không tìm thấy hồ sơ với thông tin đã nhập."


def look_up(client, code, identifier):
    return client.post(reverse("portal:lookup"), {"code": code, "identifier": identifier})


def test_code_and_personal_id_show_the_status_with_a_masked_name(client, received):
    response = look_up(client, received.code, "020190001234")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đã tiếp nhận" in html and "Đăng ký khai sinh" in html and "UBND xã A" in html
    assert "10:00 02/03/2026" in html and "10:00 05/03/2026" in html
    assert "Nguyễn V. A" in html
    assert "Nguyễn Văn A" not in html  # nor any other personal data
    assert "0912345678" not in html and "nguyenvana@example.vn" not in html
    assert NOT_FOUND not in html


def test_phone_number_in_any_usual_form_also_matches(client, dossier):
    for phone in ("0912345678", "+84 912 345 678", "0912.345.678"):
        html = look_up(client, dossier.code, phone).content.decode()
        assert "Mới đăng ký" in html, phone


def test_any_mismatch_gives_one_neutral_answer(client, dossier, other_citizen):
    answers = [
        look_up(client, dossier.code, "020190005678").content.decode(),  # someone else's ID
        look_up(client, dossier.code, "0900000000").content.decode(),  # wrong phone
        look_up(client, "000.01.37.H37-260302-9999", "020190001234").content.decode(),  # code
        look_up(client, dossier.code, "   ").content.decode(),
    ]
    for html in answers[:3]:
        assert NOT_FOUND in html
        assert "Mới đăng ký" not in html and "Nguyễn" not in html
    assert "Mới đăng ký" not in answers[3]


def test_link_from_notification_prefills_the_code_without_showing_anything(client, dossier):
    html = client.get(reverse("portal:lookup"), {"code": dossier.code}).content.decode()
    assert f'value="{dossier.code}"' in html
    assert "Mới đăng ký" not in html and NOT_FOUND not in html


def test_mask_name_keeps_the_family_name_and_initials():
    assert mask_name("Nguyễn Văn A") == "Nguyễn V. A"
    assert mask_name("Trần Thị Bích Ngọc") == "Trần T. B. N"
    assert mask_name("  Lê   Hùng ") == "Lê H"
    assert mask_name("Công ty TNHH Ánh Dương") == "Công t. T. Á. D"
