"""Online submission through the page: happy path and refusals that save nothing."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from digigov.accounts.models import User
from digigov.catalog.models import ServiceLevel
from digigov.dossiers.models import Channel, Dossier, DossierFile, Status
from tests.conftest import PASSWORD, pdf


def submit_url(procedure):
    return reverse("portal:submit", args=[procedure.national_code])


def components(procedure):
    return {c.name: c for c in procedure.version_on().components.all()}


def valid_post(procedure, agency):
    comps = components(procedure)
    return {
        "agency": agency.code,
        "child_name": "Nguyễn Văn Bé",
        "birth_date": "2026-03-01",
        f"component_{comps['Tờ khai đăng ký khai sinh'].pk}": pdf("to-khai.pdf"),
        f"component_{comps['Giấy chứng sinh'].pk}": pdf("chung-sinh.pdf"),
    }


def test_anonymous_visitor_is_sent_to_login(client, procedure):
    response = client.get(submit_url(procedure))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "next=" in response.url


def test_official_cannot_submit_on_the_portal(client, procedure, counter_a):
    client.force_login(counter_a)
    assert client.get(submit_url(procedure)).status_code == 403
    assert client.post(submit_url(procedure), valid_post(procedure, counter_a.role_assignments
                                                         .first().agency)).status_code == 403
    assert Dossier.objects.count() == 0


def test_citizen_submits_and_lands_on_the_dossier_page(client, procedure, citizen, commune_b):
    client.force_login(citizen)
    form_page = client.get(submit_url(procedure)).content.decode()
    assert commune_b.code in form_page  # several competent agencies: the applicant chooses
    response = client.post(submit_url(procedure), valid_post(procedure, commune_b))
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("portal:dossier", args=[dossier.uuid])
    assert dossier.applicant == citizen and dossier.agency == commune_b
    assert dossier.channel == Channel.ONLINE and dossier.status == Status.NEW
    assert dossier.form_data == {"child_name": "Nguyễn Văn Bé", "birth_date": "2026-03-01"}
    assert dossier.fee_amount == 4000
    assert sorted(dossier.files.values_list("original_name", flat=True)) == [
        "chung-sinh.pdf", "to-khai.pdf"]
    page = client.get(response.url).content.decode()
    assert dossier.code in page and "Mới đăng ký" in page and "Nộp hồ sơ" in page


def test_missing_required_component_saves_nothing_and_marks_the_field(client, procedure,
                                                                      citizen, commune_a):
    client.force_login(citizen)
    data = valid_post(procedure, commune_a)
    birth_cert = components(procedure)["Giấy chứng sinh"]
    del data[f"component_{birth_cert.pk}"]
    response = client.post(submit_url(procedure), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Thiếu thành phần bắt buộc: Giấy chứng sinh." in html
    field_id = f"id_component_{birth_cert.pk}"
    tag = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in tag
    assert f"{field_id}_error" in tag  # the error is tied to the input
    assert f'id="{field_id}_error"' in html
    assert 'role="alert"' in html and f'href="#{field_id}"' in html
    assert Dossier.objects.count() == 0 and DossierFile.objects.count() == 0


def test_text_named_pdf_is_refused_and_nothing_is_saved(client, procedure, citizen, commune_a):
    client.force_login(citizen)
    data = valid_post(procedure, commune_a)
    form_comp = components(procedure)["Tờ khai đăng ký khai sinh"]
    data[f"component_{form_comp.pk}"] = SimpleUploadedFile(
        "to-khai.pdf", b"just some text, not a PDF at all", content_type="application/pdf")
    response = client.post(submit_url(procedure), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "không phải PDF, ảnh hoặc văn bản văn phòng" in html
    assert f'id="id_component_{form_comp.pk}_error"' in html
    assert Dossier.objects.count() == 0 and DossierFile.objects.count() == 0


def test_every_missing_item_is_reported_in_one_pass(client, procedure, citizen, commune_a):
    client.force_login(citizen)
    response = client.post(submit_url(procedure), {"agency": "", "child_name": "  "})
    html = response.content.decode()
    assert response.status_code == 400
    for field_id in ("id_agency", "id_child_name", "id_birth_date"):
        assert f'id="{field_id}_error"' in html, field_id
    assert "“Họ tên trẻ” là bắt buộc." in html
    assert "Thiếu thành phần bắt buộc: Tờ khai đăng ký khai sinh." in html
    assert "Thiếu thành phần bắt buộc: Giấy chứng sinh." in html
    assert "hãy chọn lại các tệp" in html
    assert Dossier.objects.count() == 0


def test_badly_formatted_declaration_is_refused_by_the_service(client, procedure, citizen,
                                                               commune_a):
    client.force_login(citizen)
    data = valid_post(procedure, commune_a)
    data["birth_date"] = "01/03/2026"
    response = client.post(submit_url(procedure), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ngày không hợp lệ (định dạng YYYY-MM-DD)." in html
    assert 'id="id_birth_date_error"' in html
    assert Dossier.objects.count() == 0 and DossierFile.objects.count() == 0


def test_agency_that_is_not_competent_is_refused(client, procedure, citizen, province):
    client.force_login(citizen)
    data = valid_post(procedure, province)
    response = client.post(submit_url(procedure), data)
    assert response.status_code == 400
    assert 'id="id_agency_error"' in response.content.decode()
    assert Dossier.objects.count() == 0


def test_citizen_without_identity_number_is_sent_to_the_profile(client, procedure, commune_a):
    user = User.objects.create_user(phone="0987654321", password=PASSWORD, full_name="Lê Văn C")
    client.force_login(user)
    response = client.post(submit_url(procedure), valid_post(procedure, commune_a))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Hãy bổ sung số định danh cá nhân" in html
    assert reverse("accounts:profile") in html
    assert Dossier.objects.count() == 0


def test_counter_only_procedure_cannot_be_submitted_online(client, procedure, citizen, commune_a):
    version = procedure.version_on()
    version.service_level = ServiceLevel.NONE
    version.save()
    client.force_login(citizen)
    response = client.post(submit_url(procedure), valid_post(procedure, commune_a))
    assert response.status_code == 302
    assert response.url == reverse("portal:procedure", args=[procedure.national_code])
    assert Dossier.objects.count() == 0
