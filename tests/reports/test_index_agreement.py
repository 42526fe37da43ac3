"""The fast method (rollup) gives exactly the figures of the direct method (dossiers)."""

import datetime as dt
import random

import pytest

from digigov.catalog.models import (
    ImplementingLevel,
    Procedure,
    ProcedureVersion,
    Sector,
    ServiceLevel,
    TimeLimitUnit,
)
from digigov.core.errors import InvalidInput
from digigov.dossiers.models import Channel, Dossier, DossierFile, Status
from digigov.orgs.models import Agency
from digigov.payments.models import Payment
from digigov.reports import periods, rollup, scopes
from digigov.reports.index import Filters, compute_index, drilldown, ranking
from digigov.signing.models import IssuedDocument
from digigov.store.models import PaperKind, PaperUse, StoredPaper
from tests.conftest import vn

PERIODS = [
    periods.month(2026, 3), periods.month(2026, 4), periods.quarter(2026, 2),
    periods.year(2026), periods.date_range(dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
    periods.date_range(dt.date(2026, 2, 10), dt.date(2026, 4, 20)),
]


def assert_agree(scope, period, filters=None):
    direct = compute_index(scope, period, filters, method="direct").as_dict()
    fast = compute_index(scope, period, filters, method="fast").as_dict()
    assert fast == direct, (scope.label, period.label, filters)
    return direct


def random_moment(rng, days=100):
    hours = rng.choice([7, 8, 9, 10, 14, 16, 18, 23])
    return vn(2026, 1, 20, 0) + dt.timedelta(days=rng.randrange(days), hours=hours,
                                             minutes=rng.randrange(60))


def random_dataset(rng, agencies, procedures, paper, n=160):
    made = []
    for i in range(n):
        agency = rng.choice(agencies)
        procedure = rng.choice(procedures)
        version = procedure.versions.get()
        channel = rng.choice([Channel.COUNTER, Channel.ONLINE, Channel.ONLINE, Channel.POSTAL])
        submitted = random_moment(rng)
        status = rng.choice(list(Status))
        received = due = processed = returned = closed = paused_at = None
        supplements = rng.choice([0, 0, 0, 1, 1, 2])
        paused = rng.choice([0, 0, 3600 * rng.randint(1, 20)])
        if status != Status.NEW and status != Status.NOT_RECEIVED:
            received = submitted + dt.timedelta(hours=rng.randint(0, 30))
            if rng.random() > 0.1:  # some dossiers have no appointment date
                due = received + dt.timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 8))
        end = (received or submitted) + dt.timedelta(days=rng.randint(0, 20),
                                                     hours=rng.randint(0, 9))
        if status in (Status.PROCESSED, Status.RETURNED):
            if rng.random() < 0.85:
                processed = end
            if status == Status.RETURNED:
                returned = closed = end + dt.timedelta(hours=rng.randint(0, 50))
        elif status in (Status.STOPPED, Status.WITHDRAWN, Status.NOT_RECEIVED):
            closed = end
            if status == Status.STOPPED and rng.random() < 0.3:
                paused_at = (received or submitted) + dt.timedelta(days=rng.randint(0, 5))
        elif status == Status.SUPPLEMENT_REQUESTED and received:
            paused_at = received + dt.timedelta(days=rng.randint(0, 15), hours=rng.randint(0, 9))
        dossier = Dossier.objects.create(
            code=f"{agency.code}-R{i:04d}", procedure=procedure, procedure_version=version,
            agency=agency, channel=channel, status=status, applicant_name="Nguyễn Văn A",
            applicant_id_number="020190001234", submitted_at=submitted, received_at=received,
            due_at=due, processed_at=processed, returned_at=returned, closed_at=closed,
            supplement_count=supplements if received else 0, paused_seconds=paused,
            clock_paused_at=paused_at, fee_amount=rng.choice([0, 0, 4000]))
        if rng.random() < 0.3:
            DossierFile.objects.create(dossier=dossier, file="d/x.pdf", original_name="x.pdf",
                                       content_type="application/pdf", size=1, sha256="0" * 64,
                                       is_digitised=rng.random() < 0.7)
        if rng.random() < 0.4:
            IssuedDocument.objects.create(dossier=dossier, kind=rng.choice(["result", "form"]),
                                          title="x", file="signed/x.pdf", sha256="0" * 64)
        if dossier.fee_amount and rng.random() < 0.6:
            Payment.objects.create(dossier=dossier, channel=rng.choice(["online", "cash"]),
                                   amount=4000, status=rng.choice(["paid", "paid", "failed"]),
                                   created_at=submitted, paid_at=submitted)
        if rng.random() < 0.2:
            PaperUse.objects.create(paper=paper, dossier=dossier, agency=agency,
                                    used_at=submitted, how="online")
        if rng.random() < 0.1:
            StoredPaper.objects.create(owner=paper.owner, kind=paper.kind, title="Kết quả",
                                       file="store/y.pdf", original_name="y.pdf",
                                       content_type="application/pdf", size=1, sha256="1" * 64,
                                       source="result", dossier=dossier)
        made.append(dossier)
    return made


@pytest.fixture
def world(province, commune_a, commune_b, procedure, citizen):
    office = Agency.objects.create(code="001.01.37.H37", name="Bộ phận một cửa xã A",
                                   parent=commune_a, level=Agency.Level.COMMUNE_CENTRE,
                                   valid_from=dt.date(2025, 7, 1))
    ministry = Agency.objects.create(code="000.00.00.G01", name="Bộ Tư pháp",
                                     level=Agency.Level.MINISTRY, valid_from=dt.date(2025, 3, 1))
    department = Agency.objects.create(code="000.00.01.G01", name="Cục Hộ tịch", parent=ministry,
                                       level=Agency.Level.MINISTRY_UNIT,
                                       valid_from=dt.date(2025, 3, 1))
    sector = Sector.objects.create(code="TP", name="Tư pháp")
    other = Procedure.objects.create(national_code="2.000488.000.00.00.G01",
                                     name="Cấp phiếu lý lịch tư pháp", sector=sector,
                                     level=ImplementingLevel.CENTRAL)
    ProcedureVersion.objects.create(
        procedure=other, effective_from=dt.date(2025, 7, 1), applicant_types=["citizen"],
        service_level=ServiceLevel.PARTIAL, time_limit_amount=10,
        time_limit_unit=TimeLimitUnit.CALENDAR_DAYS, fee_counter=200000, legal_basis="x",
        result_type="Phiếu lý lịch tư pháp", cutoff_time=dt.time(15, 0))
    other.competent_agencies.set([department, province])
    kind = PaperKind.objects.create(code="cccd", name="Căn cước")
    paper = StoredPaper.objects.create(owner=citizen, kind=kind, title="Căn cước",
                                       file="store/x.pdf", original_name="x.pdf",
                                       content_type="application/pdf", size=1, sha256="0" * 64,
                                       source="uploaded")
    agencies = [province, commune_a, commune_b, office, ministry, department]
    return {"agencies": agencies, "procedures": [procedure, other], "paper": paper,
            "ministry": ministry, "department": department, "other": other}


def all_scopes(world):
    return [scopes.instance()] + [scopes.Scope(a) for a in world["agencies"]]


def return_some(rng, dossiers, count):
    """Return ``count`` random dossiers through save(), processed within 0-9 days."""
    for dossier in rng.sample(dossiers, count):
        dossier.status = Status.RETURNED
        dossier.received_at = dossier.received_at or dossier.submitted_at
        dossier.processed_at = dossier.received_at + dt.timedelta(days=rng.randint(0, 9))
        dossier.returned_at = dossier.closed_at = dossier.processed_at
        dossier.clock_paused_at = None
        dossier.save()


@pytest.mark.django_db
def test_random_data_fast_equals_direct(world):
    rng = random.Random(20260315)
    dossiers = random_dataset(rng, world["agencies"], world["procedures"], world["paper"])
    filters = [None, Filters(procedure=world["other"].national_code), Filters(sector="HT")]
    for period in PERIODS:
        for scope in all_scopes(world):
            assert_agree(scope, period)
    for f in filters[1:]:
        for scope in all_scopes(world)[:3]:
            assert_agree(scope, periods.quarter(2026, 2), f)
            assert_agree(scope, PERIODS[-1], f)

    # Changes through save() and delete() are folded in before the next fast index.
    return_some(rng, dossiers, 25)
    for dossier in rng.sample(dossiers, 10):
        IssuedDocument.objects.create(dossier=dossier, kind="result", title="x",
                                      file="signed/z.pdf", sha256="2" * 64)
    doomed = dossiers[0]
    doomed.payments.all().delete()
    doomed.paper_uses.all()._raw_delete(doomed.paper_uses.all().db)  # append-only log
    doomed.delete()
    # A commune moves to the ministry's tree; the criminal-record procedure changes sector.
    commune_b = world["agencies"][2]
    commune_b.parent = world["ministry"]
    commune_b.save()
    world["other"].sector = Sector.objects.get(code="HT")
    world["other"].save()
    for period in PERIODS[:4]:
        for scope in all_scopes(world):
            assert_agree(scope, period)
    assert_agree(scopes.instance(), periods.quarter(2026, 2), Filters(sector="HT"))
    assert_agree(scopes.instance(), periods.quarter(2026, 2), Filters(sector="TP"))

    # A rebuild from scratch gives the same figures as the incrementally kept rollup.
    before = {(s.code, p.slug): compute_index(s, p).as_dict()
              for s in all_scopes(world) for p in PERIODS}
    rollup.rebuild()
    after = {(s.code, p.slug): compute_index(s, p).as_dict()
             for s in all_scopes(world) for p in PERIODS}
    assert after == before


@pytest.mark.django_db
def test_random_data_drilldown_counts(world):
    rng = random.Random(7)
    random_dataset(rng, world["agencies"], world["procedures"], world["paper"], n=80)
    scope, period = scopes.instance(), periods.quarter(2026, 2)
    result = compute_index(scope, period)
    for indicator in result.indicators:
        if indicator.drilldown:
            assert drilldown(scope, period, indicator.code).count() == indicator.numerator
            assert drilldown(scope, period, indicator.code,
                             "denominator").count() == indicator.denominator
    for key in ("online_share", "online_payment", "digitisation", "electronic_result", "reuse",
                "on_time"):
        rate = getattr(result.headline, key)
        assert drilldown(scope, period, key).count() == rate.numerator
        assert drilldown(scope, period, key, "denominator").count() == rate.denominator
    assert drilldown(scope, period, "received").count() == result.headline.received
    assert drilldown(scope, period, "resolved").count() == result.headline.resolved
    assert drilldown(scope, period, "open_late").count() == result.headline.open_late


@pytest.mark.django_db
def test_demo_data_fast_equals_direct(settings, tmp_path):
    from digigov.demo.loader import build_demo

    settings.MEDIA_ROOT = tmp_path
    build_demo(dossiers=24)
    today = dt.date.today()
    tree = [scopes.instance()] + scopes.children(scopes.instance())
    tree += [child for scope in tree[1:3] for child in scopes.children(scope)][:6]
    checked = 0
    for period in (periods.current("month", today), periods.current("year", today),
                   *periods.previous_periods(periods.current("month", today), 3)):
        for scope in tree:
            result = assert_agree(scope, period)
            checked += result["headline"]["received"]
    assert checked > 0


def assert_ranking_agrees(scope, period, filters=None):
    """The batched ranking equals compute_index of each sub-unit, sorted the same way."""
    ranked = [r.as_dict() for r in ranking(scope, period, filters)]
    one_by_one = [compute_index(child, period, filters) for child in scopes.children(scope)]
    one_by_one.sort(key=lambda r: (-r.total, r.scope.code or ""))
    assert ranked == [r.as_dict() for r in one_by_one], (scope.label, period.label, filters)
    return ranked


@pytest.mark.django_db
def test_random_data_ranking_equals_each_index(world):
    rng = random.Random(20261125)
    dossiers = random_dataset(rng, world["agencies"], world["procedures"], world["paper"])
    ranked_scopes = [scopes.instance()] + [scopes.Scope(a) for a in world["agencies"][:5]]
    for period in PERIODS:
        for scope in ranked_scopes:
            assert_ranking_agrees(scope, period)
    for f in (Filters(procedure=world["other"].national_code), Filters(sector="HT")):
        for scope in ranked_scopes[:2]:
            assert_ranking_agrees(scope, periods.quarter(2026, 2), f)
            assert_ranking_agrees(scope, PERIODS[-1], f)
    assert len(assert_ranking_agrees(scopes.Scope(world["agencies"][0]), PERIODS[3])) == 2

    # Changes and an agency move: the ranking folds the dirty dossiers in before it reads.
    return_some(rng, dossiers, 20)
    commune_b = world["agencies"][2]
    commune_b.parent = world["ministry"]
    commune_b.save()
    for period in PERIODS[:4]:
        for scope in ranked_scopes:
            assert_ranking_agrees(scope, period)


@pytest.mark.django_db
def test_ranking_refuses_bad_filters(world):
    with pytest.raises(InvalidInput):
        ranking(scopes.instance(), PERIODS[0], Filters(sector="NOPE"))
