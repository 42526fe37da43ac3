"""Documents fixtures: commune A with an office unit, its clerk, signing certificates."""

import datetime as dt

import pytest

from digigov.accounts.models import Role, RoleAssignment
from digigov.documents import services
from digigov.documents.models import Clearance
from digigov.orgs.models import Agency
from digigov.signing import services as signing
from tests.conftest import make_official
from tests.signing.sample_pdf import one_page_pdf


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_TSA_URL = ""


@pytest.fixture
def office_a(commune_a):
    return Agency.objects.create(code="001.01.37.H37", name="Văn phòng UBND xã A",
                                 parent=commune_a, level=Agency.Level.COMMUNE,
                                 valid_from=dt.date(2025, 7, 1))


@pytest.fixture
def clerk_a(commune_a):
    return make_official("vanthu.a@example.vn", commune_a, Role.CLERK)


@pytest.fixture
def clerk_b(commune_b):
    return make_official("vanthu.b@example.vn", commune_b, Role.CLERK)


@pytest.fixture
def leader_b(commune_b):
    return make_official("lanhdao.b@example.vn", commune_b, Role.LEADER)


@pytest.fixture
def office_specialist(office_a):
    return make_official("cv.vanphong@example.vn", office_a, Role.SPECIALIST)


@pytest.fixture
def admin_a(commune_a):
    return make_official("quantri.a@example.vn", commune_a, Role.AGENCY_ADMIN)


@pytest.fixture
def ca(db):
    return signing.create_local_ca("CA thử nghiệm văn bản")


@pytest.fixture
def certificates(ca, commune_a, leader_a):
    signing.issue_credential(agency=commune_a)
    signing.issue_credential(officer=leader_a)


def clear(user, agency, level):
    return Clearance.objects.create(user=user, agency=agency, level=level)


def attachment_pdf():
    return ("phu-luc.pdf", "application/pdf", one_page_pdf())


def draft(actor, agency, **kwargs):
    values = {"type_code": "cong_van", "subject": "Đôn đốc nộp báo cáo tháng",
              "body": "Ủy ban nhân dân xã đề nghị các đơn vị nộp báo cáo trước ngày 25.",
              "drafting_unit": "VP"}
    values.update(kwargs)
    return services.create_draft(actor=actor, agency=agency, **values)


def approved(specialist, leader, agency, **kwargs):
    document = draft(specialist, agency, **kwargs)
    services.submit(document, actor=specialist, approver=leader)
    return services.review(document, actor=leader, accept=True)


def signed(specialist, leader, agency, **kwargs):
    document = approved(specialist, leader, agency, **kwargs)
    return services.sign(document, actor=leader, signer_title="Chủ tịch",
                         authority="TM.", authority_of="Ủy ban nhân dân")


def issued(specialist, leader, clerk, agency, **kwargs):
    document = signed(specialist, leader, agency, **kwargs)
    return services.issue(document, actor=clerk)


__all__ = ["RoleAssignment", "approved", "attachment_pdf", "clear", "draft", "issued",
           "signed"]
