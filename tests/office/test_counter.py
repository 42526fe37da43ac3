"""Counter reception: the officer registers and receives a dossier, then prints the receipt."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from digigov.dossiers.models import Channel, Dossier, Status
from tests.conftest import component_files

from .conftest import signed_in


def url(agency, procedure):
    return reverse("office:counter_new", args=[agency.uuid, procedure.uuid])


def post_data(procedure, **overrides):
    data = {
        "applicant_name": "Phạm Thị Dung", "applicant_id_number": "020190004321",
        "applicant_phone": "0987654321", "applicant_email": "dung@example.vn",
        "applicant_address": "Thôn Nà Pàn, xã A", "channel": "1", "receive_now": "1",
        "field_child_name": "Phạm Minh Khôi", "field_birth_date": "2026-02-20",
    }
    data.update({f"component_{key}": upload
                 for key, upload in component_files(procedure).items()})
    data.update(overrides)
    return data


def test_officer_picks_among_procedures_of_their_unit(client, procedure, counter_a, commune_a):
    html = signed_in(client, counter_a).get(reverse("office:counter")).content.decode()
    assert "Đăng ký khai sinh" in html and url(commune_a, procedure) in html
    html = client.get(reverse("office:counter"), {"q": "ket hon"}).content.decode()
    assert "Đăng ký khai sinh" not in html
    html = client.get(reverse("office:counter"), {"q": "khai sinh"}).content.decode()
    assert "Đăng ký khai sinh" in html


def test_only_counter_officers_receive(client, procedure, commune_a, specialist_a, counter_b):
    assert signed_in(client, specialist_a).get(reverse("office:counter")).status_code == 403
    # Commune B's officer cannot receive at commune A.
    assert signed_in(client, counter_b).get(url(commune_a, procedure)).status_code == 404


def test_form_has_one_file_input_per_component(client, procedure, commune_a, counter_a):
    html = signed_in(client, counter_a).get(url(commune_a, procedure)).content.decode()
    for component in procedure.version_on().components.all():
        assert f'name="component_{component.pk}"' in html
        assert component.name in html
    assert 'enctype="multipart/form-data"' in html
    assert 'name="field_child_name"' in html and 'type="date"' in html


@pytest.mark.parametrize("channel", [Channel.COUNTER, Channel.POSTAL])
def test_reception_happy_path_shows_the_receipt(client, procedure, commune_a, counter_a, channel):
    client = signed_in(client, counter_a)
    response = client.post(url(commune_a, procedure),
                           post_data(procedure, channel=str(channel.value)))
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("office:print", args=[dossier.uuid, "01"])
    assert dossier.status == Status.RECEIVED and dossier.channel == channel
    assert dossier.agency == commune_a and dossier.received_by == counter_a
    assert dossier.applicant_name == "Phạm Thị Dung"
    assert dossier.applicant_phone == "0987654321"
    assert dossier.form_data == {"child_name": "Phạm Minh Khôi", "birth_date": "2026-02-20"}
    assert dossier.files.count() == 2

    receipt = client.get(response.url).content.decode()
    for fact in (dossier.code, "Phạm Thị Dung", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
                 "09 giờ 00 phút, ngày 02/03/2026", "09 giờ 00 phút, ngày 05/03/2026",
                 "8.000", channel.label):
        assert str(fact) in receipt, fact


def test_missing_component_is_named_and_nothing_is_saved(client, procedure, commune_a,
                                                         counter_a):
    version = procedure.version_on()
    birth_certificate = version.components.get(name="Giấy chứng sinh")
    data = post_data(procedure)
    del data[f"component_{birth_certificate.pk}"]
    response = signed_in(client, counter_a).post(url(commune_a, procedure), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Thiếu thành phần bắt buộc: Giấy chứng sinh." in html
    assert 'role="alert"' in html
    assert 'aria-invalid="true"' in html
    assert "Phạm Thị Dung" in html  # typed values are kept
    assert not Dossier.objects.exists()


def test_invalid_declaration_and_id_are_reported_per_field(client, procedure, commune_a,
                                                           counter_a):
    data = post_data(procedure, field_birth_date="20/02/2026")
    response = signed_in(client, counter_a).post(url(commune_a, procedure), data)
    assert response.status_code == 422
    assert "Ngày không hợp lệ" in response.content.decode()
    data = post_data(procedure, applicant_id_number="12345678901x")
    response = client.post(url(commune_a, procedure), data)
    assert response.status_code == 422
    assert "Số định danh cá nhân phải gồm 12 chữ số." in response.content.decode()
    response = client.post(url(commune_a, procedure), post_data(procedure,
                                                                applicant_phone="12345"))
    assert response.status_code == 400
    assert "Số điện thoại không hợp lệ." in response.content.decode()
    assert not Dossier.objects.exists()


def test_phone_is_stored_in_national_form(client, procedure, commune_a, counter_a):
    response = signed_in(client, counter_a).post(
        url(commune_a, procedure), post_data(procedure, applicant_phone="+84 987 654 321"))
    assert response.status_code == 302
    assert Dossier.objects.get().applicant_phone == "0987654321"


def test_not_a_pdf_or_image_is_refused(client, procedure, commune_a, counter_a):
    key = next(iter(component_files(procedure)))
    data = post_data(procedure)
    # Named .pdf and declared as PDF, but the content is a Windows executable.
    data[f"component_{key}"] = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00not a pdf",
                                                  content_type="application/pdf")
    response = signed_in(client, counter_a).post(url(commune_a, procedure), data)
    assert response.status_code == 422
    assert "virus.pdf" in response.content.decode()
    assert not Dossier.objects.exists()


def test_incomplete_dossier_can_be_registered_without_receiving(client, procedure, commune_a,
                                                                counter_a):
    data = post_data(procedure, receive_now="0")
    data = {k: v for k, v in data.items() if not k.startswith("component_")}
    response = signed_in(client, counter_a).post(url(commune_a, procedure), data)
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("office:detail", args=[dossier.uuid])
    assert dossier.status == Status.NEW and dossier.received_at is None
