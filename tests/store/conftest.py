"""Data-store fixtures: paper kinds, a component that accepts one, papers in a citizen's store."""

import datetime as dt

import pytest

from digigov.store.models import ComponentKind, PaperKind, PaperUse, ResultKind, StoredPaper
from tests.conftest import pdf
from tests.dossiers.support import state

# 2 March 2026, the day the shared dossier helpers submit on.
TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _isolated_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def kind(code: str) -> PaperKind:
    # Seeded by the data migration; a test that flushed the database gets it back here.
    return PaperKind.objects.get_or_create(code=code, defaults={"name": code})[0]


@pytest.fixture
def birth_kind(db):
    return kind("giay-chung-sinh")


@pytest.fixture
def id_kind(db):
    return kind("can-cuoc")


@pytest.fixture
def reusable_component(procedure, birth_kind):
    """"Giấy chứng sinh" (order 2, required) accepts a stored birth-attestation paper."""
    component = procedure.version_on().components.get(order=2)
    ComponentKind.objects.create(component=component, kind=birth_kind)
    return component


@pytest.fixture
def result_kind(procedure):
    return ResultKind.objects.create(procedure=procedure, kind=kind("giay-khai-sinh"))


def make_paper(owner, paper_kind, *, title="Giấy chứng sinh", valid_until=None,
               issued_on=dt.date(2026, 1, 5)) -> StoredPaper:
    from digigov.store import services

    return services.store_paper(owner=owner, kind=paper_kind, upload=pdf("chung-sinh.pdf"),
                                source="uploaded", title=title, issuer_name="Bệnh viện Đa khoa",
                                number="CS-0042", issued_on=issued_on, valid_until=valid_until)


@pytest.fixture
def paper(citizen, birth_kind):
    return make_paper(citizen, birth_kind)


@pytest.fixture
def expired_paper(citizen, birth_kind):
    return make_paper(citizen, birth_kind, title="Giấy chứng sinh cũ",
                      issued_on=dt.date(2020, 1, 1), valid_until=dt.date(2026, 2, 1))


@pytest.fixture
def foreign_paper(other_citizen, birth_kind):
    return make_paper(other_citizen, birth_kind, title="Giấy chứng sinh của người khác")


def store_state() -> dict:
    """Everything a dossier or store service may write, for before/after comparison."""
    return {**state(),
            "papers": list(StoredPaper.objects.order_by("pk").values()),
            "uses": list(PaperUse.objects.order_by("pk").values())}

