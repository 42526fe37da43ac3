"""The rollup stays exact through the real dossier services, and can be rebuilt from scratch."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from digigov.core.errors import InvalidInput
from digigov.dossiers import services
from digigov.dossiers.models import Channel, Dossier, DossierFile, Status
from digigov.reports import periods, rollup, scopes
from digigov.reports.index import compute_index
from digigov.reports.models import DirtyDossier, DossierFact, RootDayCell, RootMonthCell
from tests.conftest import FORM, component_files, vn

MARCH = periods.month(2026, 3)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def agree(scope, period=MARCH):
    direct = compute_index(scope, period, method="direct").as_dict()
    fast = compute_index(scope, period, method="fast").as_dict()
    assert fast == direct
    return fast


def submit(procedure, citizen, agency, now):
    return services.submit_online(applicant=citizen, procedure=procedure, form_data=FORM,
                                  files=component_files(procedure), agency=agency, now=now)


@pytest.mark.django_db
def test_services_keep_the_rollup_exact(procedure, citizen, commune_a, counter_a, specialist_a,
                                        leader_a, province):
    scope = scopes.Scope(province)
    dossier = submit(procedure, citizen, commune_a, vn(2026, 3, 2, 9))
    assert DirtyDossier.objects.filter(dossier_id=dossier.pk).exists()
    assert agree(scope)["headline"]["received"] == 0  # submitted, not yet received
    assert not DirtyDossier.objects.exists()  # folded in by the fast computation
    dossier = services.receive(officer=counter_a, dossier=dossier, now=vn(2026, 3, 2, 10))
    assert DirtyDossier.objects.filter(dossier_id=dossier.pk).exists()
    after = agree(scope)
    assert after["headline"]["received"] == 1
    assert after["headline"]["online_share"]["numerator"] == 1
    dossier = services.hand_over(official=counter_a, dossier=dossier, to_user=specialist_a,
                                 now=vn(2026, 3, 2, 11))
    dossier = services.hand_over(official=specialist_a, dossier=dossier, to_user=leader_a,
                                 now=vn(2026, 3, 3, 11))
    agree(scope)
    dossier = services.complete(official=leader_a, dossier=dossier, result_summary="Đã cấp",
                                now=vn(2026, 3, 4, 9))
    done = agree(scope)
    assert done["headline"]["resolved"] == 1
    assert done["headline"]["on_time"] == {"numerator": 1, "denominator": 1, "rate": "100.00"}
    services.return_result(officer=counter_a, dossier=dossier, now=vn(2026, 3, 4, 10))
    agree(scope)
    # A second dossier, late and still open at the period end.
    late = submit(procedure, citizen, commune_a, vn(2026, 3, 9, 9))
    services.receive(officer=counter_a, dossier=late, now=vn(2026, 3, 9, 10))
    result = agree(scope)
    assert result["headline"]["open_late"] == 1
    assert DossierFact.objects.count() == 2
    assert RootMonthCell.objects.filter(root_id=province.pk).exists()
    assert RootDayCell.objects.filter(root_id=province.pk).exists()


@pytest.mark.django_db
def test_a_refused_change_leaves_no_mark(procedure, citizen, commune_a, counter_a):
    dossier = submit(procedure, citizen, commune_a, vn(2026, 3, 2, 9))
    rollup.refresh()
    with pytest.raises(InvalidInput):
        services.refuse(officer=counter_a, dossier=dossier, reason="  ")
    assert not DirtyDossier.objects.exists()


@pytest.mark.django_db
def test_marks_roll_back_with_their_transaction(procedure, citizen, commune_a):
    dossier = submit(procedure, citizen, commune_a, vn(2026, 3, 2, 9))
    rollup.refresh()
    with pytest.raises(RuntimeError), transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).get().save()
        assert DirtyDossier.objects.filter(dossier_id=dossier.pk).exists()
        raise RuntimeError
    assert not DirtyDossier.objects.exists()


@pytest.mark.django_db
def test_bulk_writes_and_plain_sql_mark_their_dossiers(procedure, citizen, commune_a, province):
    """The database marks: a bulk update(), a deleted file and plain SQL leave the rollup exact."""
    scope = scopes.Scope(province)
    one = submit(procedure, citizen, commune_a, vn(2026, 3, 2, 9))
    two = submit(procedure, citizen, commune_a, vn(2026, 3, 3, 9))
    rollup.refresh()
    Dossier.objects.filter(pk=one.pk).update(status=Status.RECEIVED, received_at=vn(2026, 3, 2, 10),
                                             due_at=vn(2026, 3, 5, 10))
    assert set(DirtyDossier.objects.values_list("dossier_id", flat=True)) == {one.pk}
    assert agree(scope)["headline"]["received"] == 1
    DossierFile.objects.filter(dossier=two).delete()
    assert set(DirtyDossier.objects.values_list("dossier_id", flat=True)) == {two.pk}
    rollup.refresh()
    with connection.cursor() as cursor:
        cursor.execute('UPDATE "dossiers_dossier" SET "channel" = %s WHERE "id" = %s',
                       [Channel.COUNTER, one.pk])
    assert set(DirtyDossier.objects.values_list("dossier_id", flat=True)) == {one.pk}
    assert agree(scope)["headline"]["online_share"]["numerator"] == 0
    Dossier.objects.filter(pk=two.pk).delete()
    assert set(DirtyDossier.objects.values_list("dossier_id", flat=True)) == {two.pk}
    agree(scope)


@pytest.mark.django_db
def test_rebuild_command(procedure, citizen, commune_a, counter_a, province):
    dossier = submit(procedure, citizen, commune_a, vn(2026, 3, 2, 9))
    services.receive(officer=counter_a, dossier=dossier, now=vn(2026, 3, 2, 10))
    before = agree(scopes.Scope(province))
    # Cells damaged by hand (or by a bulk update that bypassed save()): rebuild repairs them.
    RootMonthCell.objects.update(received=99)
    out = io.StringIO()
    call_command("reports_rebuild", "--quiet", stdout=out)
    assert "1 dossiers" in out.getvalue()
    assert compute_index(scopes.Scope(province), MARCH).as_dict() == before
    assert DossierFact.objects.count() == 1


@pytest.mark.django_db
def test_agency_move_is_followed(procedure, citizen, commune_a, commune_b, counter_a, province):
    from digigov.orgs.models import Agency

    dossier = submit(procedure, citizen, commune_a, vn(2026, 3, 2, 9))
    services.receive(officer=counter_a, dossier=dossier, now=vn(2026, 3, 2, 10))
    assert agree(scopes.Scope(province))["headline"]["received"] == 1
    other = Agency.objects.create(code="000.00.00.H38", name="UBND tỉnh khác",
                                  level=Agency.Level.PROVINCE, valid_from=province.valid_from)
    commune_a.parent = other
    commune_a.save()
    assert agree(scopes.Scope(province))["headline"]["received"] == 0
    assert agree(scopes.Scope(other))["headline"]["received"] == 1
    assert agree(scopes.instance())["headline"]["received"] == 1


@pytest.mark.django_db
def test_the_refresh_command_folds_changed_dossiers(procedure, citizen, commune_a, counter_a,
                                                    province):
    dossier = submit(procedure, citizen, commune_a, vn(2026, 3, 2, 9))
    services.receive(officer=counter_a, dossier=dossier, now=vn(2026, 3, 2, 10))
    assert DirtyDossier.objects.filter(dossier_id=dossier.pk).exists()
    out = io.StringIO()
    call_command("reports_refresh", stdout=out)
    assert "1 dossier(s) folded" in out.getvalue()
    assert not DirtyDossier.objects.exists()
    assert DossierFact.objects.filter(dossier_id=dossier.pk).exists()
    assert agree(scopes.Scope(province))["headline"]["received"] == 1
