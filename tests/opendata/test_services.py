"""Datasets and resources through the services: the happy paths, every refusal, permissions."""

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from digigov.audit.models import AuditEvent
from digigov.core.errors import InvalidInput, InvalidTransition, NotAllowed
from digigov.opendata import services
from digigov.opendata.models import Dataset, Resource
from tests.conftest import PDF_BYTES, citizen  # noqa: F401

from .conftest import CSV_TEXT, csv_file, json_file, xlsx_bytes, xlsx_file

pytestmark = pytest.mark.django_db


def test_create_dataset_is_a_draft_with_tags_groups_and_an_audit_event(draft, admin_a):
    assert draft.state == Dataset.State.DRAFT
    assert sorted(draft.tags.values_list("name", flat=True)) == ["hồ sơ", "thống kê"]
    assert list(draft.groups.values_list("name", flat=True)) == ["thong-ke"]
    assert draft.created_by == admin_a
    draft.refresh_from_db()
    assert "tiep nhan" in draft.search_text and "xa a" in draft.search_text
    event = AuditEvent.objects.get(action="opendata_create_dataset")
    assert event.actor == admin_a and event.to_state == "draft"


def test_only_the_publishers_administrator_may_create(commune_a, admin_b, counter_a, citizen):  # noqa: F811
    for user in (admin_b, counter_a, citizen, None):
        with pytest.raises(NotAllowed):
            services.create_dataset(actor=user, publisher=commune_a, name="x-y", title="X")
    assert not Dataset.objects.exists()


@pytest.mark.parametrize(("field", "changes"), [
    ("name", {"name": "Có Dấu"}),
    ("name", {"name": "quan-ly"}),
    ("name", {"name": "a"}),
    ("title", {"title": "   "}),
    ("licence_id", {"licence_id": "MIT"}),
    ("frequency", {"frequency": "hourly"}),
    ("temporal_end", {"temporal_start": dt.date(2026, 3, 1), "temporal_end": dt.date(2026, 2, 1)}),
    ("contact_email", {"contact_email": "khong-phai-email"}),
    ("tags", {"tags": ["<script>"]}),
    ("groups", {"groups": ["khong-co"]}),
])
def test_bad_metadata_is_refused_with_a_field_message(admin_a, commune_a, field, changes):
    data = {"name": "bo-du-lieu", "title": "Bộ dữ liệu"} | changes
    with pytest.raises(InvalidInput) as caught:
        services.create_dataset(actor=admin_a, publisher=commune_a, **data)
    assert field in caught.value.fields
    assert not Dataset.objects.exists()


def test_name_must_be_unique(draft, admin_a, commune_a):
    with pytest.raises(InvalidInput) as caught:
        services.create_dataset(actor=admin_a, publisher=commune_a, name="ho-so-tiep-nhan",
                                title="Khác")
    assert "Đã có bộ dữ liệu" in str(caught.value.fields["name"][0])


def test_update_dataset_changes_metadata_and_refuses_others(draft, admin_a, admin_b):
    updated = services.update_dataset(actor=admin_a, dataset=draft, title="Tên mới",
                                      tags="a, B ,a", temporal_start=dt.date(2026, 1, 1))
    assert updated.title == "Tên mới" and updated.temporal_start == dt.date(2026, 1, 1)
    assert sorted(updated.tags.values_list("name", flat=True)) == ["a", "b"]
    assert "ten moi" in updated.search_text
    with pytest.raises(NotAllowed):
        services.update_dataset(actor=admin_b, dataset=draft, title="X")
    with pytest.raises(InvalidInput):
        services.update_dataset(actor=admin_a, dataset=draft, state="published")
    with pytest.raises(InvalidInput):
        services.update_dataset(actor=admin_a, dataset=draft, temporal_end=dt.date(2025, 1, 1))
    draft.refresh_from_db()
    assert draft.title == "Tên mới" and draft.temporal_end is None


def test_add_csv_resource_records_format_size_hash_and_file(draft, admin_a):
    resource = services.add_resource(actor=admin_a, dataset=draft, upload=csv_file())
    data = CSV_TEXT.encode()
    assert resource.format == "CSV" and resource.media_type == "text/csv"
    assert resource.size == len(data)
    assert resource.sha256 == hashlib.sha256(data).hexdigest()
    assert resource.name == "so-lieu.csv"
    with resource.file.open("rb") as handle:
        assert handle.read() == data
    draft.refresh_from_db()
    assert draft.data_modified == resource.last_modified
    assert AuditEvent.objects.filter(action="opendata_add_resource").count() == 1


def test_json_and_xlsx_are_recognised_by_content(draft, admin_a):
    j = services.add_resource(actor=admin_a, dataset=draft, upload=json_file())
    x = services.add_resource(actor=admin_a, dataset=draft, upload=xlsx_file())
    assert (j.format, j.media_type) == ("JSON", "application/json")
    assert x.format == "XLSX" and x.media_type.endswith("spreadsheetml.sheet")
    assert [r.position for r in draft.resources.all()] == [0, 1]


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("a.csv", PDF_BYTES), "không phải CSV, JSON hay XLSX"),
    (SimpleUploadedFile("a.json", b'{"a": 1,}'), "không phải JSON hợp lệ"),
    (SimpleUploadedFile("a.csv", b"a,b\n1,2,3\n"), "dòng 2 có 3 cột"),
    (SimpleUploadedFile("a.csv", b""), "rỗng"),
    (SimpleUploadedFile("a.csv", "ma;tên\n1;Hà\n".encode("cp1258")), "UTF-8"),
    (SimpleUploadedFile("a.json", CSV_TEXT.encode()), "ghi định dạng JSON nhưng nội dung là CSV"),
    (SimpleUploadedFile("a.xlsx", b"PK\x03\x04not a zip"), "không phải bảng tính XLSX"),
])
def test_bad_files_are_refused_and_nothing_is_stored(draft, admin_a, upload, message, settings):
    with pytest.raises(InvalidInput) as caught:
        services.add_resource(actor=admin_a, dataset=draft, upload=upload)
    assert message in str(caught.value)
    assert "file" in caught.value.fields
    assert not Resource.objects.exists()
    media = settings.MEDIA_ROOT / "opendata"
    assert not media.exists() or not any(media.iterdir())


def test_too_big_file_is_refused(draft, admin_a, settings):
    settings.OPENDATA_UPLOAD_MAX_BYTES = 10
    with pytest.raises(InvalidInput, match="vượt quá dung lượng"):
        services.add_resource(actor=admin_a, dataset=draft, upload=csv_file())


def test_resource_needs_exactly_one_of_file_and_url(draft, admin_a):
    with pytest.raises(InvalidInput, match="một trong hai"):
        services.add_resource(actor=admin_a, dataset=draft)
    with pytest.raises(InvalidInput, match="một trong hai"):
        services.add_resource(actor=admin_a, dataset=draft, upload=csv_file(),
                              url="https://api.example.vn")
    with pytest.raises(InvalidInput, match="Địa chỉ API không hợp lệ"):
        services.add_resource(actor=admin_a, dataset=draft, url="ftp://x.example.vn/a")


def test_api_link_resource(draft, admin_a):
    resource = services.add_resource(actor=admin_a, dataset=draft, name="API",
                                     url="https://api.example.vn/ho-so")
    assert resource.kind == "api" and resource.format == "API" and not resource.file


def test_add_resource_by_someone_else_is_refused(draft, admin_b):
    with pytest.raises(NotAllowed):
        services.add_resource(actor=admin_b, dataset=draft, upload=csv_file())


def test_publish_needs_a_resource_then_sets_issued(draft, admin_a, admin_b):
    with pytest.raises(InvalidTransition, match="chưa có tài nguyên"):
        services.publish_dataset(actor=admin_a, dataset=draft)
    services.add_resource(actor=admin_a, dataset=draft, upload=csv_file())
    with pytest.raises(NotAllowed):
        services.publish_dataset(actor=admin_b, dataset=draft)
    published = services.publish_dataset(actor=admin_a, dataset=draft)
    assert published.state == "published" and published.issued_at is not None
    with pytest.raises(InvalidTransition, match="đã được công bố"):
        services.publish_dataset(actor=admin_a, dataset=published)
    event = AuditEvent.objects.get(action="opendata_publish")
    assert (event.from_state, event.to_state) == ("draft", "published")


def test_unpublish_and_delete(published, admin_a, admin_b, django_capture_on_commit_callbacks):
    with pytest.raises(InvalidTransition, match="ngừng công bố"):
        services.delete_dataset(actor=admin_a, dataset=published)
    with pytest.raises(NotAllowed):
        services.unpublish_dataset(actor=admin_b, dataset=published)
    draft = services.unpublish_dataset(actor=admin_a, dataset=published)
    assert draft.state == "draft" and draft.issued_at is not None
    with pytest.raises(InvalidTransition, match="chưa được công bố"):
        services.unpublish_dataset(actor=admin_a, dataset=draft)
    path = Path(draft.resources.get(kind="file").file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_dataset(actor=admin_a, dataset=draft)
    assert not Dataset.objects.exists() and not Resource.objects.exists()
    assert AuditEvent.objects.filter(action="opendata_delete_dataset").exists()
    # The file goes once the transaction commits.
    assert not path.exists()


def test_replace_file_keeps_the_identifier_and_moves_modified(published, admin_a):
    resource = published.resources.get(kind="file")
    before = resource.last_modified
    later = before + dt.timedelta(hours=1)
    new = services.replace_resource(actor=admin_a, resource=resource,
                                    upload=csv_file(text="ma,so\nA,1\n"), now=later)
    assert new.uuid == resource.uuid and new.size == len("ma,so\nA,1\n")
    assert new.last_modified == later
    published.refresh_from_db()
    assert published.data_modified == later
    with new.file.open("rb") as handle:
        assert handle.read() == b"ma,so\nA,1\n"


def test_replace_refusals(published, admin_a, admin_b):
    file_resource = published.resources.get(kind="file")
    link = published.resources.get(kind="api")
    with pytest.raises(NotAllowed):
        services.replace_resource(actor=admin_b, resource=file_resource, upload=csv_file())
    with pytest.raises(InvalidInput, match="thay bằng tệp"):
        services.replace_resource(actor=admin_a, resource=file_resource,
                                  url="https://x.example.vn")
    with pytest.raises(InvalidInput, match="thay bằng tệp"):
        services.replace_resource(actor=admin_a, resource=link, upload=csv_file())
    with pytest.raises(InvalidInput):
        services.replace_resource(actor=admin_a, resource=file_resource,
                                  upload=SimpleUploadedFile("x.csv", PDF_BYTES))
    renamed = services.replace_resource(actor=admin_a, resource=link, name="API mới",
                                        url="https://api2.example.vn/")
    assert renamed.name == "API mới" and renamed.url == "https://api2.example.vn/"


def test_delete_resource_keeps_at_least_one_in_a_published_dataset(published, admin_a, admin_b):
    file_resource = published.resources.get(kind="file")
    link = published.resources.get(kind="api")
    with pytest.raises(NotAllowed):
        services.delete_resource(actor=admin_b, resource=link)
    services.delete_resource(actor=admin_a, resource=link)
    with pytest.raises(InvalidTransition, match="ít nhất một tài nguyên"):
        services.delete_resource(actor=admin_a, resource=file_resource)
    assert published.resources.count() == 1


def test_xlsx_helper_bytes_are_a_workbook():
    assert xlsx_bytes()[:4] == b"PK\x03\x04"


def test_a_name_taken_concurrently_is_a_clear_refusal(draft, admin_a, commune_a, monkeypatch):
    # Another request inserted the same name between the check and the insert: the unique
    # constraint answers, and the refusal names the field like the check would.
    real = services._clean

    def without_the_check(data, *, dataset=None):
        data = dict(data)
        name = data.pop("name", None)
        clean = real(data, dataset=dataset)
        if name is not None:
            clean["name"] = name
        return clean

    monkeypatch.setattr(services, "_clean", without_the_check)
    with pytest.raises(InvalidInput) as caught:
        services.create_dataset(actor=admin_a, publisher=commune_a, name="ho-so-tiep-nhan",
                                title="Trùng tên")
    assert "Đã có bộ dữ liệu" in str(caught.value.fields["name"][0])
    assert Dataset.objects.count() == 1
    assert not AuditEvent.objects.filter(data__name="ho-so-tiep-nhan").exclude(
        object_id=str(draft.pk)).exists()
