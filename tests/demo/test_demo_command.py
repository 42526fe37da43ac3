import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from digigov.accounts.models import Role, User
from digigov.catalog.models import Procedure
from digigov.dossiers.models import Apology, Channel, Dossier, DossierFile, Rating, Status
from digigov.orgs.models import AdministrativeUnit, Agency
from digigov.payments.models import Payment, PaymentChannel, PaymentStatus


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Demo passwords are checked below; a fast hasher keeps the test quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return tmp_path


@pytest.fixture
def demo(db, media, capsys):
    call_command("demo", dossiers=12)
    return capsys.readouterr().out


def test_demo_fills_an_empty_database(demo):
    assert AdministrativeUnit.objects.count() == 3355
    assert set(Dossier.objects.values_list("status", flat=True)) == set(Status.values)
    assert Dossier.objects.count() == 12
    assert Procedure.objects.count() >= 15
    lang_son = Agency.objects.get(code="000.00.00.H37")
    assert lang_son.area.code == "20"
    communes = Agency.objects.filter(level=Agency.Level.COMMUNE, parent=lang_son)
    assert communes.count() >= 3
    assert {c.area.parent.code for c in communes} == {"20"}
    district = Agency.objects.get(level=Agency.Level.DISTRICT)
    assert district.valid_to is not None and district.successor in communes
    # Every demo file is a real PDF.
    first = DossierFile.objects.first()
    with first.file.open("rb") as fh:
        content = fh.read()
    assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")


def test_demo_pays_fees_and_digitises_counter_papers(db, media):
    call_command("demo", dossiers=60)
    digitised = DossierFile.objects.filter(is_digitised=True).select_related("dossier")
    assert digitised.exists()
    assert {f.dossier.channel for f in digitised} <= {Channel.COUNTER, Channel.POSTAL}
    with digitised.first().file.open("rb") as fh:
        assert len(PdfFileReader(fh).embedded_signatures) == 2  # officer and agency
    paid = Payment.objects.filter(status=PaymentStatus.PAID)
    assert {p.channel for p in paid} == {PaymentChannel.ONLINE, PaymentChannel.CASH}
    for payment in paid:
        assert payment.receipt_number and payment.amount == payment.dossier.fee_amount
        assert payment.paid_at >= payment.dossier.received_at
        # Online fees are paid by the applicant who submitted the dossier.
        if payment.channel == PaymentChannel.ONLINE:
            assert payment.created_by == payment.dossier.applicant


def test_demo_prints_every_account_and_they_can_sign_in(demo, client):
    assert User.objects.get(email="admin@digigov.local").is_superuser
    assert User.objects.filter(phone="0912345678", email__isnull=True).exists()
    assert User.objects.filter(kind=User.Kind.BUSINESS).count() == 1
    for line in demo.splitlines():
        if line.startswith("  ") and line.count(" | ") == 3:
            login, _role, _unit, password = (part.strip() for part in line.split(" | "))
            assert client.login(username=login, password=password), login
            client.logout()
    assert "admin@digigov.local | Quản trị hệ thống (superuser) | — | Admin#2026" in demo


def test_demo_agency_admins_manage_their_procedures_in_admin(demo, client):
    admins = User.objects.filter(role_assignments__role=Role.AGENCY_ADMIN)
    assert admins.count() == 2
    commune_admin = admins.get(email="quantri.caoloc@digigov.local")
    client.force_login(commune_admin)
    response = client.get(reverse("admin:catalog_procedure_changelist"))
    assert response.status_code == 200
    listed = set(response.context["cl"].queryset)
    assert listed
    cao_loc = Agency.objects.get(name="UBND xã Cao Lộc")
    assert all(cao_loc in p.competent_agencies.all() for p in listed)


def test_demo_history_shows_the_rules(db, media):
    call_command("demo", dossiers=150)
    dossiers = Dossier.objects.all()
    late = dossiers.filter(timeliness="late", processed_at__isnull=False)
    assert late.exists()
    assert all(d.processed_at > d.due_at for d in late)
    assert dossiers.filter(supplements__supplied_at__isnull=False).exists()
    assert Apology.objects.exists()
    assert Rating.objects.exists()
    assert dossiers.filter(status=Status.RETURNED).count() > dossiers.count() // 3
    # The history comes from the services: every dossier has its audit trail.
    from digigov.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="submit").count() == dossiers.count()


def test_if_empty_does_nothing_on_a_filled_database(demo, capsys):
    before = Dossier.objects.count(), User.objects.count(), Agency.objects.count()
    call_command("demo", if_empty=True)
    assert "bỏ qua" in capsys.readouterr().out
    assert (Dossier.objects.count(), User.objects.count(), Agency.objects.count()) == before
    with pytest.raises(CommandError):
        call_command("demo")
    assert Dossier.objects.count() == before[0]


def test_if_empty_skips_when_someone_created_an_account(db, media):
    User.objects.create_superuser("owner@example.vn", "x" * 12, full_name="Chủ")
    call_command("demo", if_empty=True)
    assert not Dossier.objects.exists() and not Agency.objects.exists()


@pytest.mark.parametrize("now", [
    (2026, 11, 23, 7, 30),   # Monday before office hours
    (2026, 11, 22, 20, 0),   # Sunday evening
    (2026, 2, 23, 8, 5),     # first working morning after the 2026 Tết break
    (2026, 9, 3, 8, 0),      # after the National Day holidays and the 31 Aug bridge day
])
def test_every_status_whatever_the_day(db, media, now):
    from digigov.demo.loader import build_demo
    from tests.conftest import vn

    result = build_demo(dossiers=10, now=vn(*now))
    assert set(result.dossiers.by_status) == set(Status.values)
    for field in ("submitted_at", "received_at", "processed_at", "returned_at", "closed_at"):
        moments = [m for m in Dossier.objects.values_list(field, flat=True) if m]
        assert max(moments) < vn(*now), field
