"""Editable templates: validation on save, agency overrides, versions, the sandbox."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from digigov.accounts.models import Role
from digigov.pdfs.defaults import DEFAULTS_VALID_FROM, shipped
from digigov.pdfs.documents import render_form_document, select_template, validate_template
from digigov.pdfs.models import DocumentTemplate
from digigov.pdfs.sandbox import TemplateProblem
from tests.conftest import make_official

from .conftest import one_line, pdf_text, signed_in


def default_row(code="form_01") -> DocumentTemplate:
    return DocumentTemplate.objects.get(code=code, agency=None, valid_from=DEFAULTS_VALID_FROM)


def test_the_data_migration_loaded_every_shipped_template(db):
    codes = set(DocumentTemplate.objects.filter(agency=None).values_list("code", flat=True))
    assert codes == set(shipped())
    assert {f"form_0{n}" for n in range(1, 8)} <= codes
    assert {"result_birth_extract", "result_judicial_record", "result_consular_stamp",
            "result_generic"} <= codes


@pytest.mark.parametrize("code", sorted(shipped()))
def test_every_shipped_template_passes_its_own_validation(code):
    data = shipped()[code]
    pdf = validate_template({k: data[k] for k in DocumentTemplate().parts()},
                            landscape=data["landscape"])
    assert pdf.startswith(b"%PDF-")


def test_agency_override_wins_over_the_default_and_only_there(received, commune_a, commune_b):
    DocumentTemplate.objects.create(
        **{**shipped()["form_01"], "agency": commune_a, "valid_from": dt.date(2026, 1, 1),
           "body": "<p>Mẫu riêng của xã A cho hồ sơ {{ dossier.code }}</p>"})
    document = render_form_document(received, "01")
    assert "Mẫu riêng của xã A cho hồ sơ " + received.code in one_line(pdf_text(document.pdf))
    assert select_template("form_01", commune_b, dt.date(2026, 3, 2)).pk == default_row().pk


def test_the_version_in_force_on_the_document_date_is_used(received, commune_a):
    DocumentTemplate.objects.create(
        **{**shipped()["form_01"], "agency": None, "valid_from": dt.date(2026, 4, 1),
           "body": "<p>Phiên bản từ tháng 4</p>"})
    old = DocumentTemplate.objects.create(
        **{**shipped()["form_01"], "agency": commune_a, "valid_from": dt.date(2025, 8, 1),
           "valid_to": dt.date(2026, 2, 28), "body": "<p>Hết hiệu lực</p>"})
    on_march_2 = select_template("form_01", commune_a, dt.date(2026, 3, 2))
    assert on_march_2.pk == default_row().pk != old.pk
    assert "Phiên bản từ tháng 4" in select_template("form_01", commune_a,
                                                     dt.date(2026, 4, 2)).parts["body"]


def test_without_any_row_the_shipped_file_is_used(received):
    DocumentTemplate.objects.filter(code="form_01").delete()
    document = render_form_document(received, "01")
    assert document.template_id is None
    assert received.code in one_line(pdf_text(document.pdf))


def test_a_template_that_fails_at_issue_time_falls_back_to_the_shipped_default(received):
    # Saved behind the admin's back: the filter argument names a variable that is not there.
    row = default_row()
    DocumentTemplate.objects.filter(pk=row.pk).update(
        body="<p>{{ dossier.code|date:missing.variable }}</p>")
    document = render_form_document(received, "01")
    assert document.template_id is None
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in one_line(pdf_text(document.pdf))


@pytest.mark.parametrize("body, reason", [
    ("{% if dossier.code %}<p>không đóng thẻ</p>", "cú pháp"),
    ("{% load static %}{% static 'x.css' %}", "cú pháp"),
    ("{% include 'dossiers/forms/form_01.html' %}", "form_01.html"),
    ("{{ dossier.code|no_such_filter }}", "no_such_filter"),
])
def test_validation_names_the_part_and_the_reason(body, reason):
    parts = {**DocumentTemplate(**shipped()["form_02"]).parts(), "body": body}
    with pytest.raises(TemplateProblem) as caught:
        validate_template(parts)
    assert "body" in caught.value.fields
    assert reason in " ".join(caught.value.fields["body"])


def test_the_sandbox_sees_plain_values_only(received):
    document = render_form_document(received, "01")
    def plain(value):
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return value is None or isinstance(value, str | int | float | dt.date)
    assert plain(document.context)


# -- administration ---------------------------------------------------------------------
@pytest.fixture
def superuser(client, db):
    from digigov.accounts.models import User

    user = User.objects.create_superuser(email="root@example.vn", password="x" * 12)
    return signed_in(client, user)


def _post_data(row: DocumentTemplate, **changes) -> dict:
    data = {name: getattr(row, name) for name in (
        "code", "name", "kind", "number_notation", "title", "body", "signer_authority",
        "signer_title", "signer_name", "co_signer_title", "co_signer_name", "recipients",
        "procedure_keywords")}
    data.update(valid_from=row.valid_from.isoformat(), valid_to="",
                agency=row.agency_id or "", landscape="on" if row.landscape else "")
    data.update(changes)
    return data


def test_admin_refuses_a_broken_template_with_a_clear_message_and_keeps_the_old_one(superuser):
    row = default_row("form_02")
    before = row.body
    url = reverse("admin:pdfs_documenttemplate_change", args=[row.pk])
    response = superuser.post(url, _post_data(row, body="<p>{% for x in %}</p>"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "body" in errors and "Mẫu có lỗi cú pháp" in errors["body"][0]
    row.refresh_from_db()
    assert row.body == before


def test_admin_saves_a_good_edit_and_previews_it(superuser):
    row = default_row("form_02")
    url = reverse("admin:pdfs_documenttemplate_change", args=[row.pk])
    body = "<p>Kính gửi {{ applicant.name }}: bổ sung {{ supplement.items|join:', ' }}</p>"
    response = superuser.post(url, _post_data(row, body=body))
    assert response.status_code == 302, response.context["adminform"].form.errors
    row.refresh_from_db()
    assert row.body == body
    preview = superuser.get(reverse("admin:pdfs_documenttemplate_preview", args=[row.pk]))
    assert preview["Content-Type"] == "application/pdf"
    assert "Kính gửi Nguyễn Văn Mẫu: bổ sung Giấy chứng sinh" in one_line(
        pdf_text(preview.content))


@pytest.fixture
def agency_admin_a(client, commune_a):
    user = make_official("quantri.a@example.vn", commune_a, Role.AGENCY_ADMIN)
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="pdfs"))
    return signed_in(client, user)


def test_agency_admin_overrides_for_their_agency_only(agency_admin_a, commune_a, commune_b):
    row = default_row("form_03")
    add = reverse("admin:pdfs_documenttemplate_add")
    data = _post_data(row, valid_from="2026-01-01", body="<p>Riêng xã A</p>")
    refused = agency_admin_a.post(add, {**data, "agency": ""})
    assert refused.status_code == 200
    assert "agency" in refused.context["adminform"].form.errors
    elsewhere = agency_admin_a.post(add, {**data, "agency": commune_b.pk})
    assert elsewhere.status_code == 200
    assert not DocumentTemplate.objects.filter(agency=commune_b).exists()
    saved = agency_admin_a.post(add, {**data, "agency": commune_a.pk})
    assert saved.status_code == 302
    assert DocumentTemplate.objects.get(agency=commune_a).body == "<p>Riêng xã A</p>"
    # The instance default stays read-only for them.
    change = agency_admin_a.post(reverse("admin:pdfs_documenttemplate_change", args=[row.pk]),
                                 _post_data(row, body="<p>Đổi mặc định</p>"))
    assert change.status_code == 403
    row.refresh_from_db()
    assert row.body != "<p>Đổi mặc định</p>"


def test_agency_admin_starts_an_override_as_a_copy_of_the_default(agency_admin_a, commune_a):
    row = default_row("form_04")
    listing = agency_admin_a.get(reverse("admin:pdfs_documenttemplate_changelist"))
    add = reverse("admin:pdfs_documenttemplate_add")
    assert f"{add}?copy_from={row.pk}" in listing.content.decode()
    form = agency_admin_a.get(add, {"copy_from": row.pk}).context["adminform"].form
    assert form.initial["body"] == row.body and form.initial["code"] == "form_04"
    assert form.initial["agency"] == commune_a.pk


@pytest.mark.parametrize("src", ["/etc/hostname", "http://127.0.0.1:8000/healthz",
                                 "file:///etc/passwd"])
def test_templates_cannot_embed_images_from_the_server_or_the_network(src):
    parts = {**DocumentTemplate(**shipped()["form_02"]).parts(),
             "body": f'<p>Ảnh:</p><img src="{src}" width="50">'}
    with pytest.raises(TemplateProblem) as caught:
        validate_template(parts)
    assert "không được chèn ảnh" in " ".join(caught.value.fields["body"])
