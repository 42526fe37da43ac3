"""Open-data fixtures: agency administrators, data files, a draft and a published dataset."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from digigov.accounts.models import Role
from digigov.opendata import services
from digigov.opendata.models import Group
from tests.conftest import make_official

CSV_TEXT = "ma,ten,so_ho_so\n000.01.37.H37,Xã A,12\n000.02.37.H37,Xã B,7\n"


@pytest.fixture(autouse=True)
def _isolated_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def csv_file(name="so-lieu.csv", text=CSV_TEXT) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def json_file(name="so-lieu.json", data=b'{"records": [{"ma": "A", "so": 1}]}'):
    return SimpleUploadedFile(name, data, content_type="application/json")


def xlsx_bytes(rows=(("ma", "so"), ("A", 1))) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_file(name="so-lieu.xlsx"):
    return SimpleUploadedFile(name, xlsx_bytes(), content_type="application/octet-stream")


@pytest.fixture
def admin_a(commune_a):
    return make_official("quantri.a@example.vn", commune_a, Role.AGENCY_ADMIN)


@pytest.fixture
def admin_b(commune_b):
    return make_official("quantri.b@example.vn", commune_b, Role.AGENCY_ADMIN)


@pytest.fixture
def theme(db):
    return Group.objects.create(name="thong-ke", title="Thống kê",
                                description="Số liệu thống kê")


@pytest.fixture
def draft(admin_a, commune_a, theme):
    return services.create_dataset(
        actor=admin_a, publisher=commune_a, name="ho-so-tiep-nhan",
        title="Số hồ sơ tiếp nhận của xã A", notes="Số hồ sơ tiếp nhận theo tháng, đơn vị.",
        licence_id="CC-BY-4.0", tags=["Thống kê", "hồ sơ"], groups=["thong-ke"],
        frequency="monthly", spatial="Xã A, tỉnh Lạng Sơn", contact_name="Văn phòng UBND xã A",
        contact_email="vanphong@xa-a.example.vn")


@pytest.fixture
def published(draft, admin_a):
    services.add_resource(actor=admin_a, dataset=draft, name="Bảng số liệu", upload=csv_file())
    services.add_resource(actor=admin_a, dataset=draft, name="API trực tuyến",
                          url="https://api.example.vn/ho-so")
    return services.publish_dataset(actor=admin_a, dataset=draft)


@pytest.fixture
def other_published(admin_b, commune_b):
    dataset = services.create_dataset(
        actor=admin_b, publisher=commune_b, name="diem-wifi-cong-cong",
        title="Điểm wifi công cộng", notes="Danh sách điểm truy cập wifi miễn phí.",
        licence_id="ODC-BY-1.0", tags=["hạ tầng"], frequency="annual")
    services.add_resource(actor=admin_b, dataset=dataset, upload=json_file("wifi.json"))
    return services.publish_dataset(actor=admin_b, dataset=dataset)
