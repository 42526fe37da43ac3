"""The data store in the portal and the back office: reuse with one click, the pages, sharing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from digigov.dossiers import services
from digigov.dossiers.models import Dossier, Status, SupplementRequest
from digigov.store import services as store
from digigov.store.models import PaperUse, StoredPaper
from tests.conftest import FORM, PDF_BYTES, component_files, pdf

from .conftest import make_paper


def submit_url(procedure):
    return reverse("portal:submit", kwargs={"code": procedure.national_code})


def post_data(procedure, agency, **extra):
    data = {"agency": agency.code, **FORM}
    data.update({f"component_{cid}": upload
                 for cid, upload in component_files(procedure).items()})
    data.update(extra)
    return data


# -- one click on the submit page ------------------------------------------------------------
def test_submit_page_offers_valid_stored_papers_of_the_components_kind(
        client, citizen, procedure, reusable_component, paper, expired_paper, foreign_paper):
    client.force_login(citizen)
    page = client.get(submit_url(procedure)).content.decode()
    assert "Dùng giấy tờ trong kho" in page
    assert f'name="reuse_{reusable_component.pk}"' in page
    assert f'value="{paper.uuid}"' in page and "CS-0042" in page
    assert str(expired_paper.uuid) not in page and str(foreign_paper.uuid) not in page
    # Only the component that accepts a kind of paper offers a choice.
    assert page.count('type="radio"') == 2


def test_no_reuse_offered_without_stored_papers(client, citizen, procedure, reusable_component,
                                                expired_paper):
    client.force_login(citizen)
    page = client.get(submit_url(procedure)).content.decode()
    assert "Dùng giấy tờ trong kho" not in page


def test_reuse_with_one_click_links_the_stored_paper(client, citizen, procedure, commune_a,
                                                     reusable_component, paper):
    client.force_login(citizen)
    data = post_data(procedure, commune_a, **{f"reuse_{reusable_component.pk}": str(paper.uuid)})
    data.pop(f"component_{reusable_component.pk}")
    response = client.post(submit_url(procedure), data)
    dossier = Dossier.objects.get()
    assert response.status_code == 302, response.content.decode()
    assert response.url == reverse("portal:dossier", kwargs={"uuid": dossier.uuid})
    linked = dossier.files.get(component=reusable_component)
    assert linked.is_reused and linked.reused_from == paper
    assert linked.file.name == paper.file.name
    assert PaperUse.objects.get().dossier == dossier


def test_reuse_and_upload_together_are_refused(client, citizen, procedure, commune_a,
                                               reusable_component, paper):
    client.force_login(citizen)
    data = post_data(procedure, commune_a, **{f"reuse_{reusable_component.pk}": str(paper.uuid)})
    response = client.post(submit_url(procedure), data)
    assert response.status_code == 400
    assert "Chọn một trong hai" in response.content.decode()
    assert not Dossier.objects.exists()


def test_required_component_with_no_choice_is_missing(client, citizen, procedure, commune_a,
                                                      reusable_component, paper):
    client.force_login(citizen)
    data = post_data(procedure, commune_a)
    data.pop(f"component_{reusable_component.pk}")
    response = client.post(submit_url(procedure), data)
    assert response.status_code == 400
    assert f"Thiếu thành phần bắt buộc: {reusable_component.name}" in response.content.decode()
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("which", ["foreign", "expired"])
def test_paper_of_someone_else_or_expired_is_a_field_error(
        client, citizen, procedure, commune_a, reusable_component, paper, foreign_paper,
        expired_paper, which):
    chosen = foreign_paper if which == "foreign" else expired_paper
    client.force_login(citizen)
    data = post_data(procedure, commune_a, **{f"reuse_{reusable_component.pk}": str(chosen.uuid)})
    data.pop(f"component_{reusable_component.pk}")
    response = client.post(submit_url(procedure), data)
    assert response.status_code == 400
    assert "không có trong kho dữ liệu của bạn hoặc đã hết hiệu lực" in response.content.decode()
    assert not Dossier.objects.exists() and not PaperUse.objects.exists()


# -- the store's own pages ------------------------------------------------------------
def test_list_shows_my_papers_with_kind_issuer_dates_and_validity(
        client, citizen, paper, expired_paper, foreign_paper):
    client.force_login(citizen)
    page = client.get(reverse("store:list")).content.decode()
    assert paper.title in page and expired_paper.title in page
    assert foreign_paper.title not in page
    assert "Bệnh viện Đa khoa" in page and "05/01/2026" in page and "01/02/2026" in page
    assert "Còn hiệu lực" in page and "Hết hiệu lực" in page


def test_store_pages_need_login(client, paper):
    for url in (reverse("store:list"), reverse("store:detail", args=[paper.uuid]),
                reverse("store:download", args=[paper.uuid]), reverse("store:uses")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/" in response.url


def test_detail_and_download_are_the_owners_only(client, citizen, other_citizen, paper):
    client.force_login(citizen)
    assert client.get(reverse("store:detail", args=[paper.uuid])).status_code == 200
    response = client.get(reverse("store:download", args=[paper.uuid]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    client.force_login(other_citizen)
    assert client.get(reverse("store:detail", args=[paper.uuid])).status_code == 404
    assert client.get(reverse("store:download", args=[paper.uuid])).status_code == 404
    assert client.post(reverse("store:share", args=[paper.uuid]), {"days": 3}).status_code == 404


def test_usage_log_names_the_agency_the_paper_and_the_dossier(
        client, citizen, procedure, commune_a, reusable_component, paper):
    files = component_files(procedure)
    files.pop(str(reusable_component.pk))
    dossier = services.submit_online(applicant=citizen, procedure=procedure, form_data=FORM,
                                     files=files, agency=commune_a,
                                     reuse={str(reusable_component.pk): paper})
    client.force_login(citizen)
    page = client.get(reverse("store:uses")).content.decode()
    assert commune_a.name in page and paper.title in page and dossier.code in page
    assert procedure.name in page
    detail = client.get(reverse("store:detail", args=[paper.uuid])).content.decode()
    assert dossier.code in detail and commune_a.name in detail


def test_share_link_works_without_login_until_it_expires(client, citizen, paper):
    client.force_login(citizen)
    response = client.post(reverse("store:share", args=[paper.uuid]), {"days": 2})
    assert response.status_code == 200
    link = response.context["link"]
    token = link.rsplit("/chia-se/", 1)[1].strip("/")
    client.logout()
    page = client.get(reverse("store:shared", args=[token]))
    assert page.status_code == 200 and paper.title in page.content.decode()
    assert page["Referrer-Policy"] == "no-referrer"
    download = client.get(reverse("store:shared_download", args=[token]))
    assert b"".join(download.streaming_content) == PDF_BYTES
    # A link made eight days ago for seven days has expired.
    old, _expires = store.share_token(owner=citizen, paper=paper, days=7,
                                      now=timezone.now() - dt.timedelta(days=8))
    assert client.get(reverse("store:shared", args=[old])).status_code == 404
    assert client.get(reverse("store:shared_download", args=[old])).status_code == 404
    assert client.get(reverse("store:shared", args=[token + "x"])).status_code == 404


def test_share_form_refuses_a_period_out_of_range(client, citizen, paper):
    client.force_login(citizen)
    response = client.post(reverse("store:share", args=[paper.uuid]), {"days": 90})
    assert response.status_code == 400 and not response.context["link"]


def test_owner_uploads_a_paper(client, citizen, id_kind):
    client.force_login(citizen)
    response = client.post(reverse("store:upload"), {
        "kind": id_kind.code, "title": "Căn cước", "number": "020190001234",
        "issued_on": "2021-05-01", "valid_until": "2036-05-01", "file": pdf("cccd.pdf")})
    paper = StoredPaper.objects.get()
    assert response.status_code == 302 and response.url == reverse("store:detail",
                                                                   args=[paper.uuid])
    assert (paper.owner, paper.kind, paper.valid_until) == (citizen, id_kind,
                                                            dt.date(2036, 5, 1))


def test_upload_with_a_wrong_content_type_is_refused(client, citizen, id_kind):
    client.force_login(citizen)
    fake = SimpleUploadedFile("cccd.pdf", b"MZ\x90\x00 not a PDF at all",
                              content_type="application/pdf")
    response = client.post(reverse("store:upload"), {"kind": id_kind.code, "file": fake})
    assert response.status_code == 400
    assert "không phải PDF, ảnh hoặc văn bản văn phòng" in response.content.decode()
    assert not StoredPaper.objects.exists()


# -- the back office ------------------------------------------------------------
@pytest.fixture
def reused_dossier(citizen, procedure, commune_a, counter_a, reusable_component, paper):
    files = component_files(procedure)
    files.pop(str(reusable_component.pk))
    dossier = services.submit_online(applicant=citizen, procedure=procedure, form_data=FORM,
                                     files=files, agency=commune_a,
                                     reuse={str(reusable_component.pk): paper})
    return services.receive(officer=counter_a, dossier=dossier)


def test_office_sees_the_flag_and_cannot_ask_for_the_component_again(
        client, counter_a, reused_dossier, reusable_component):
    client.force_login(counter_a)
    page = client.get(reverse("office:detail", args=[reused_dossier.uuid])).content.decode()
    assert "từ kho dữ liệu" in page and "do Bệnh viện Đa khoa cấp" in page
    assert 'name="request_supplement-components"' in page
    declaration = reusable_component.version.components.get(order=1)
    assert f'value="{declaration.pk}"' in page
    assert f'name="request_supplement-components" value="{reusable_component.pk}"' not in page
    assert f'value="{reusable_component.pk}"' not in page.split("request_supplement-components",
                                                                 1)[1].split("</fieldset>")[0]


def test_office_supplement_post_naming_a_reused_component_is_refused(
        client, counter_a, reused_dossier, reusable_component):
    client.force_login(counter_a)
    response = client.post(
        reverse("office:action", args=[reused_dossier.uuid, "request_supplement"]),
        {"request_supplement-reason": "Thiếu",
         "request_supplement-components": [str(reusable_component.pk)]})
    assert response.status_code == 400
    assert Dossier.objects.get().status == Status.RECEIVED
    assert not SupplementRequest.objects.exists()


def test_office_supplement_of_other_components_goes_through(
        client, counter_a, reused_dossier, reusable_component):
    declaration = reusable_component.version.components.get(order=1)
    client.force_login(counter_a)
    response = client.post(
        reverse("office:action", args=[reused_dossier.uuid, "request_supplement"]),
        {"request_supplement-reason": "Tờ khai thiếu chữ ký",
         "request_supplement-components": [str(declaration.pk)]})
    assert response.status_code == 302
    assert SupplementRequest.objects.get().items == [declaration.name]


def test_papers_of_other_owners_are_never_listed(client, other_citizen, citizen, birth_kind):
    make_paper(citizen, birth_kind, title="Riêng của A")
    client.force_login(other_citizen)
    assert "Riêng của A" not in client.get(reverse("store:list")).content.decode()
