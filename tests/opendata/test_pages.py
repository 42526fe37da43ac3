"""Portal pages (no login) and office pages (agency administrators) of open data."""

import pytest

from digigov.audit.models import AuditEvent
from digigov.opendata.models import Dataset
from tests.conftest import PASSWORD, PDF_BYTES

from .conftest import csv_file

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)
    return client


# -- portal ------------------------------------------------------------------------------------
def test_index_lists_published_and_filters(client, published, other_published, draft_b):
    page = client.get("/du-lieu-mo/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Số hồ sơ tiếp nhận của xã A" in html and "Điểm wifi công cộng" in html
    assert "Bản nháp của xã B" not in html
    assert "Tìm thấy 2 bộ dữ liệu" in html
    for query, expected, absent in [
        ({"q": "diem wifi"}, "Điểm wifi công cộng", "Số hồ sơ tiếp nhận"),
        ({"q": "Tiếp Nhận"}, "Số hồ sơ tiếp nhận", "Điểm wifi công cộng"),
        ({"publisher": "000-02-37-h37"}, "Điểm wifi công cộng", "Số hồ sơ tiếp nhận"),
        ({"tag": "thong ke"}, "Số hồ sơ tiếp nhận", "Điểm wifi công cộng"),
        ({"format": "JSON"}, "Điểm wifi công cộng", "Số hồ sơ tiếp nhận"),
        ({"group": "thong-ke"}, "Số hồ sơ tiếp nhận", "Điểm wifi công cộng"),
    ]:
        html = client.get("/du-lieu-mo/", query).content.decode()
        assert expected in html and absent not in html, query
        assert "Tìm thấy 1 bộ dữ liệu" in html


def test_bad_filter_is_a_400_with_a_message(client, published):
    response = client.get("/du-lieu-mo/", {"format": "EXE"})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()


def test_dataset_page_and_download_without_login(client, published):
    page = client.get("/du-lieu-mo/ho-so-tiep-nhan/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Creative Commons Attribution 4.0" in html and "Hằng tháng" in html
    assert "vanphong@xa-a.example.vn" in html and "UBND xã A" in html
    resource = published.resources.get(kind="file")
    detail = client.get(f"/du-lieu-mo/ho-so-tiep-nhan/tai-nguyen/{resource.uuid}/")
    assert detail.status_code == 200 and resource.sha256 in detail.content.decode()
    download = client.get(f"/du-lieu-mo/ho-so-tiep-nhan/tai-nguyen/{resource.uuid}/"
                          "ho-so-tiep-nhan.csv")
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv"
    assert 'filename="ho-so-tiep-nhan.csv"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content).decode().startswith("ma,ten,so_ho_so")
    link = published.resources.get(kind="api")
    redirect = client.get(f"/du-lieu-mo/ho-so-tiep-nhan/tai-nguyen/{link.uuid}/x")
    assert redirect.status_code == 302 and redirect["Location"] == "https://api.example.vn/ho-so"


def test_drafts_are_hidden_from_the_public_but_previewed_by_their_administrator(
        client, draft, admin_a, admin_b):
    assert client.get("/du-lieu-mo/ho-so-tiep-nhan/").status_code == 404
    login(client, admin_b)
    assert client.get("/du-lieu-mo/ho-so-tiep-nhan/").status_code == 404
    client.logout()
    login(client, admin_a)
    page = client.get("/du-lieu-mo/ho-so-tiep-nhan/")
    assert page.status_code == 200 and "Bản nháp" in page.content.decode()


# -- office ------------------------------------------------------------------------------------
def test_office_needs_an_agency_administrator(client, counter_a, citizen):
    assert client.get("/du-lieu-mo/quan-ly/").status_code == 302
    for user in (counter_a, citizen):
        login(client, user)
        assert client.get("/du-lieu-mo/quan-ly/").status_code == 403
        assert client.get("/du-lieu-mo/quan-ly/tao-moi/").status_code == 403
        client.logout()


def test_administrator_creates_uploads_and_publishes(client, admin_a, commune_a, theme):
    login(client, admin_a)
    form = client.get("/du-lieu-mo/quan-ly/tao-moi/")
    assert form.status_code == 200 and 'name="title"' in form.content.decode()
    response = client.post("/du-lieu-mo/quan-ly/tao-moi/", {
        "publisher": commune_a.pk, "title": "Danh sách điểm phục vụ", "name": "diem-phuc-vu",
        "notes": "Các điểm tiếp nhận hồ sơ.", "licence_id": "CC-BY-4.0",
        "tags": "một cửa, điểm phục vụ", "groups": ["thong-ke"], "frequency": "annual",
        "spatial": "Xã A", "contact_name": "", "contact_email": ""})
    assert response.status_code == 302
    assert response["Location"] == "/du-lieu-mo/quan-ly/diem-phuc-vu/"
    dataset = Dataset.objects.get(name="diem-phuc-vu")
    assert dataset.publisher == commune_a and dataset.state == "draft"
    # Publishing without a resource is refused with a message.
    refused = client.post("/du-lieu-mo/quan-ly/diem-phuc-vu/cong-bo/", follow=True)
    assert "chưa có tài nguyên" in refused.content.decode()
    bad = client.post("/du-lieu-mo/quan-ly/diem-phuc-vu/tai-nguyen/them/",
                      {"file": _upload("diem.csv", PDF_BYTES), "name": "", "description": ""})
    assert bad.status_code == 400
    assert "không phải CSV, JSON hay XLSX" in bad.content.decode()
    added = client.post("/du-lieu-mo/quan-ly/diem-phuc-vu/tai-nguyen/them/",
                        {"file": csv_file("diem.csv"), "name": "Bảng điểm phục vụ",
                         "description": "CSV"})
    assert added.status_code == 302
    published = client.post("/du-lieu-mo/quan-ly/diem-phuc-vu/cong-bo/", follow=True)
    assert "Đã công bố" in published.content.decode()
    dataset.refresh_from_db()
    assert dataset.state == "published"
    assert client.get("/du-lieu-mo/quan-ly/").content.decode().count("diem-phuc-vu") >= 1
    client.logout()
    assert client.get("/du-lieu-mo/diem-phuc-vu/").status_code == 200


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_create_form_refusals_are_shown(client, admin_a, commune_a, draft):
    login(client, admin_a)
    response = client.post("/du-lieu-mo/quan-ly/tao-moi/", {
        "publisher": commune_a.pk, "title": "X", "name": "ho-so-tiep-nhan",
        "licence_id": "CC-BY-4.0", "frequency": "annual",
        "temporal_start": "2026-05-01", "temporal_end": "2026-01-01"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Đã có bộ dữ liệu tên" in html and "Ngày kết thúc phải sau ngày bắt đầu" in html


def test_edit_replace_unpublish_delete(client, admin_a, admin_b, published):
    login(client, admin_b)
    assert client.get("/du-lieu-mo/quan-ly/ho-so-tiep-nhan/").status_code == 403
    assert client.post("/du-lieu-mo/quan-ly/ho-so-tiep-nhan/ngung-cong-bo/").status_code == 403
    client.logout()
    login(client, admin_a)
    edit = client.get("/du-lieu-mo/quan-ly/ho-so-tiep-nhan/sua/")
    assert "thống kê" in edit.content.decode()
    saved = client.post("/du-lieu-mo/quan-ly/ho-so-tiep-nhan/sua/", {
        "title": "Hồ sơ tiếp nhận (sửa)", "name": "ho-so-tiep-nhan", "notes": "",
        "licence_id": "ODbL-1.0", "tags": "thống kê", "frequency": "quarterly"})
    assert saved.status_code == 302
    published.refresh_from_db()
    assert published.title == "Hồ sơ tiếp nhận (sửa)" and published.licence_id == "ODbL-1.0"
    resource = published.resources.get(kind="file")
    url = f"/du-lieu-mo/quan-ly/ho-so-tiep-nhan/tai-nguyen/{resource.uuid}/thay-the/"
    assert client.get(url).status_code == 200
    replaced = client.post(url, {"file": csv_file(text="a,b\n1,2\n"), "name": "Bảng mới",
                                 "description": "", "url": ""})
    assert replaced.status_code == 302
    resource.refresh_from_db()
    assert resource.name == "Bảng mới" and resource.size == len("a,b\n1,2\n")
    link = published.resources.get(kind="api")
    client.post(f"/du-lieu-mo/quan-ly/ho-so-tiep-nhan/tai-nguyen/{link.uuid}/xoa/")
    assert published.resources.count() == 1
    last = client.post(f"/du-lieu-mo/quan-ly/ho-so-tiep-nhan/tai-nguyen/{resource.uuid}/xoa/",
                       follow=True)
    assert "ít nhất một tài nguyên" in last.content.decode()
    client.post("/du-lieu-mo/quan-ly/ho-so-tiep-nhan/ngung-cong-bo/")
    published.refresh_from_db()
    assert published.state == "draft"
    assert client.get("/du-lieu-mo/quan-ly/ho-so-tiep-nhan/cong-bo/").status_code == 405
    client.post("/du-lieu-mo/quan-ly/ho-so-tiep-nhan/xoa/")
    assert not Dataset.objects.exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"opendata_update_dataset", "opendata_replace_resource", "opendata_delete_resource",
            "opendata_unpublish", "opendata_delete_dataset"} <= actions


@pytest.fixture
def draft_b(admin_b, commune_b):
    from digigov.opendata import services

    return services.create_dataset(actor=admin_b, publisher=commune_b, name="nhap-xa-b",
                                   title="Bản nháp của xã B")
