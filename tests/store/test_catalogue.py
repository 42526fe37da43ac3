"""The catalogue of paper kinds and the admin pages that map kinds to the procedure catalogue."""

import importlib

from django.apps import apps
from django.urls import reverse

from digigov.accounts.models import User
from digigov.store.kinds import PAPER_KINDS
from digigov.store.models import PaperKind
from digigov.store.services import component_kind, reusable_papers

seed_migration = importlib.import_module("digigov.store.migrations.0002_paper_kinds")


def test_seeded_kinds_include_the_common_papers(db):
    seed_migration.seed(apps, None)
    codes = set(PaperKind.objects.values_list("code", flat=True))
    assert {code for code, _name in PAPER_KINDS} <= codes
    assert PaperKind.objects.get(code="can-cuoc").name.startswith("Thẻ căn cước")
    assert PaperKind.objects.get(code="ly-lich-tu-phap").name == "Phiếu lý lịch tư pháp"
    # Seeding twice adds nothing.
    seed_migration.seed(apps, None)
    assert PaperKind.objects.count() == len(codes)


def test_component_kind_mapping(reusable_component, birth_kind):
    assert component_kind(reusable_component) == birth_kind
    other = reusable_component.version.components.get(order=1)
    assert component_kind(other) is None


def test_officials_are_offered_nothing(counter_a, reusable_component, paper):
    assert reusable_papers(counter_a, [reusable_component]) == {}


def test_admin_pages_of_the_store(client, reusable_component, result_kind, paper):
    admin = User.objects.create_superuser("quantri@example.vn", "Mat-khau-2025!")
    client.force_login(admin)
    for model in ("paperkind", "componentkind", "resultkind", "storedpaper", "paperuse"):
        response = client.get(reverse(f"admin:store_{model}_changelist"))
        assert response.status_code == 200, model
    page = client.get(reverse("admin:store_componentkind_changelist")).content.decode()
    assert reusable_component.name in page
    # Stored papers are personal records: nobody edits them in the admin.
    response = client.post(reverse("admin:store_storedpaper_change", args=[paper.pk]),
                           {"title": "Đã sửa"})
    assert response.status_code == 403
    paper.refresh_from_db()
    assert paper.title == "Giấy chứng sinh"
    assert client.get(reverse("admin:store_storedpaper_add")).status_code == 403
