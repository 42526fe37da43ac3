"""Shared fixtures: a small province with two communes, officials and one procedure."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from digigov.accounts.models import Role, RoleAssignment, User
from digigov.catalog.models import (
    ComponentSpec,
    FormField,
    ImplementingLevel,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    Sector,
    ServiceLevel,
    TimeLimitUnit,
)
from digigov.orgs.models import Agency
from digigov.worktime.loader import load_calendar
from digigov.worktime.models import CalendarDay
from tests.softhsm import softhsm  # noqa: F401 - one token for the whole run

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "Mat-khau-2025!"

# The smallest valid PDF, as a citizen's scanner would not make it, but filetype sees a PDF.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)


def vn(*args) -> dt.datetime:
    """An aware datetime in Vietnam time: vn(2026, 3, 2, 9, 0)."""
    return dt.datetime(*args, tzinfo=VN)


def pdf(name="giay-to.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


DB_FIXTURES = {"db", "transactional_db", "live_server"}


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's language.

    A request activates its reader's language for the thread; without this, a
    test that fetched an English page would leave English to the next test.
    """
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _holiday_calendar(request):
    """The migrated holiday calendar, in every test that uses the database.

    Tests with committed transactions end with a flush that empties every
    table, the calendar's data migration included; the next test reloads it.
    """
    if request.node.get_closest_marker("django_db") is None and not (
        DB_FIXTURES & set(request.fixturenames)
    ):
        return
    request.getfixturevalue("db")
    if not CalendarDay.objects.exists():
        load_calendar(CalendarDay)


@pytest.fixture
def province(db):
    return Agency.objects.create(code="000.00.00.H37", name="UBND tỉnh Lạng Sơn",
                                 level=Agency.Level.PROVINCE, valid_from=dt.date(2025, 7, 1))


@pytest.fixture
def commune_a(province):
    return Agency.objects.create(code="000.01.37.H37", name="UBND xã A", parent=province,
                                 level=Agency.Level.COMMUNE, valid_from=dt.date(2025, 7, 1))


@pytest.fixture
def commune_b(province):
    return Agency.objects.create(code="000.02.37.H37", name="UBND xã B", parent=province,
                                 level=Agency.Level.COMMUNE, valid_from=dt.date(2025, 7, 1))


def make_official(email, agency, *roles) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, full_name=email.split("@")[0],
                                    kind=User.Kind.OFFICIAL)
    for role in roles:
        RoleAssignment.objects.create(user=user, agency=agency, role=role)
    return user


@pytest.fixture
def counter_a(commune_a):
    return make_official("motcua.a@example.vn", commune_a, Role.COUNTER_OFFICER)


@pytest.fixture
def specialist_a(commune_a):
    return make_official("chuyenvien.a@example.vn", commune_a, Role.SPECIALIST)


@pytest.fixture
def leader_a(commune_a):
    return make_official("lanhdao.a@example.vn", commune_a, Role.LEADER)


@pytest.fixture
def counter_b(commune_b):
    return make_official("motcua.b@example.vn", commune_b, Role.COUNTER_OFFICER)


@pytest.fixture
def citizen(db):
    return User.objects.create_user(email="nguyenvana@example.vn", phone="0912345678",
                                     password=PASSWORD, full_name="Nguyễn Văn A",
                                     personal_id="020190001234", kind=User.Kind.CITIZEN)


@pytest.fixture
def other_citizen(db):
    return User.objects.create_user(email="tranthib@example.vn", password=PASSWORD,
                                    full_name="Trần Thị B", personal_id="020190005678")


@pytest.fixture
def procedure(commune_a, commune_b):
    """A 3-working-day procedure with two components and a three-step process."""
    sector = Sector.objects.create(code="HT", name="Hộ tịch")
    proc = Procedure.objects.create(national_code="1.001193.000.00.00.H37",
                                    name="Đăng ký khai sinh", sector=sector,
                                    level=ImplementingLevel.COMMUNE)
    proc.competent_agencies.set([commune_a, commune_b])
    version = ProcedureVersion.objects.create(
        procedure=proc, effective_from=dt.date(2025, 7, 1), applicant_types=["citizen"],
        service_level=ServiceLevel.FULL, time_limit_amount=Decimal(3),
        time_limit_unit=TimeLimitUnit.WORKING_DAYS, fee_counter=8000, fee_online=4000,
        legal_basis="Luật Hộ tịch 2014", result_type="Giấy khai sinh",
    )
    ComponentSpec.objects.create(version=version, order=1, name="Tờ khai đăng ký khai sinh")
    ComponentSpec.objects.create(version=version, order=2, name="Giấy chứng sinh")
    ComponentSpec.objects.create(version=version, order=3, name="Văn bản ủy quyền",
                                 required=False)
    FormField.objects.create(version=version, order=1, key="child_name", label="Họ tên trẻ")
    FormField.objects.create(version=version, order=2, key="birth_date", label="Ngày sinh",
                             type=FormField.Type.DATE)
    ProcessStep.objects.create(version=version, order=1, name="Tiếp nhận hồ sơ",
                               role=Role.COUNTER_OFFICER, allotted_hours=Decimal(4))
    ProcessStep.objects.create(version=version, order=2, name="Thẩm định hồ sơ",
                               role=Role.SPECIALIST, allotted_hours=Decimal(12))
    ProcessStep.objects.create(version=version, order=3, name="Phê duyệt",
                               role=Role.LEADER, allotted_hours=Decimal(8))
    return proc


def component_files(procedure, *, required_only=True):
    version = procedure.version_on()
    comps = version.components.filter(required=True) if required_only else version.components.all()
    return {str(c.pk): pdf(f"c{c.order}.pdf") for c in comps}


FORM = {"child_name": "Nguyễn Văn Bé", "birth_date": "2026-03-01"}
