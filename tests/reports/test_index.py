"""The Decision 766 index computed by hand on a small fixed data set.

Period: reporting month 3/2026 = 15/02/2026 .. 14/03/2026, so the period end
is 15/03/2026 00:00 Vietnam time. Procedure: 3 working days, full-process
online service, fee 8,000 at the counter and 4,000 online. Working days are
08:00-12:00 and 13:00-17:00; March 2026 has no holiday. Every figure below
was worked out on paper from the dossiers built here.
"""

import datetime as dt
from decimal import Decimal

import pytest

from digigov.catalog.models import Procedure
from digigov.core.errors import InvalidInput
from digigov.dossiers.models import Channel, Dossier, DossierFile, Status
from digigov.orgs.models import Agency
from digigov.payments.models import Payment
from digigov.reports import periods, scopes
from digigov.reports.index import Filters, compute_index, drilldown, late_open_dossiers, ranking
from digigov.reports.models import IndicatorWeight
from digigov.signing.models import IssuedDocument
from digigov.store.models import PaperKind, PaperUse, StoredPaper
from tests.conftest import vn

MARCH = periods.month(2026, 3)
S = Status
COUNTER, ONLINE = Channel.COUNTER, Channel.ONLINE


def make(agency, procedure, name, *, channel=COUNTER, status=S.RETURNED, received=None,
         due=None, processed=None, returned=None, closed=None, supplements=0, paused=0.0,
         paused_at=None, fee=0, submitted=None):
    return Dossier.objects.create(
        code=f"{agency.code}-{name}", procedure=procedure,
        procedure_version=procedure.versions.get(), agency=agency, channel=channel,
        status=status, applicant_name="Nguyễn Văn A", applicant_id_number="020190001234",
        submitted_at=submitted or received or closed, received_at=received, due_at=due,
        processed_at=processed, returned_at=returned, closed_at=closed,
        supplement_count=supplements, paused_seconds=paused, clock_paused_at=paused_at,
        fee_amount=fee)


def e_result(dossier):
    IssuedDocument.objects.create(dossier=dossier, kind=IssuedDocument.Kind.RESULT,
                                  title="Giấy khai sinh", file="signed/x.pdf", sha256="0" * 64)


def build(commune_a, commune_b, procedure, citizen) -> dict:
    """The fixed data set (see the module docstring and each comment)."""
    a, p = commune_a, procedure
    d = {}
    # D1: early (processed 4/3 before the appointment 5/3) although returned after it:
    # the end is the processing date. 17 working hours.
    d[1] = make(a, p, "D1", received=vn(2026, 3, 2, 9), due=vn(2026, 3, 5, 9),
                processed=vn(2026, 3, 4, 10), returned=vn(2026, 3, 6, 15),
                closed=vn(2026, 3, 6, 15))
    e_result(d[1])
    # D2: online, late, processed without the electronic result its full-process service
    # requires: not counted for 3.3. 33 working hours.
    d[2] = make(a, p, "D2", channel=ONLINE, status=S.PROCESSED, received=vn(2026, 3, 2, 10),
                due=vn(2026, 3, 5, 10), processed=vn(2026, 3, 6, 11))
    # D3: one supplement (8 working hours) pushed the appointment from 6/3 08:00 to 17:00;
    # processed 16:00: on time. 31 h - 8 h = 23 working hours.
    d[3] = make(a, p, "D3", received=vn(2026, 3, 3, 8), due=vn(2026, 3, 6, 17),
                processed=vn(2026, 3, 6, 16), returned=vn(2026, 3, 6, 16, 30),
                closed=vn(2026, 3, 6, 16, 30), supplements=1, paused=28800)
    # D4: two supplement requests: late although processed well before the appointment. 8 h.
    d[4] = make(a, p, "D4", received=vn(2026, 3, 2, 8), due=vn(2026, 3, 10, 8),
                processed=vn(2026, 3, 3, 8), returned=vn(2026, 3, 3, 9),
                closed=vn(2026, 3, 3, 9), supplements=2)
    # D5: open at the period end, appointment passed: late.
    d[5] = make(a, p, "D5", status=S.PROCESSING, received=vn(2026, 3, 9, 8),
                due=vn(2026, 3, 12, 8))
    # D6: open at the period end, appointment to come: on time.
    d[6] = make(a, p, "D6", status=S.PROCESSING, received=vn(2026, 3, 13, 8),
                due=vn(2026, 3, 18, 8))
    # D7: no appointment date: 3 working days from 2/3 08:00 = 4/3 17:00; processed 4/3 08:00.
    # 16 h.
    d[7] = make(a, p, "D7", received=vn(2026, 3, 2, 8), processed=vn(2026, 3, 4, 8),
                returned=vn(2026, 3, 4, 9), closed=vn(2026, 3, 4, 9))
    # D8: no appointment date, processed 6/3 08:00 > 4/3 17:00: late. 32 h.
    d[8] = make(a, p, "D8", status=S.PROCESSED, received=vn(2026, 3, 2, 8),
                processed=vn(2026, 3, 6, 8))
    # D9: processing stopped after the appointment: late, resolved, no result.
    d[9] = make(a, p, "D9", status=S.STOPPED, received=vn(2026, 3, 2, 8),
                due=vn(2026, 3, 5, 8), closed=vn(2026, 3, 9, 9))
    # D10: refused at reception: never received, counted nowhere.
    d[10] = make(a, p, "D10", status=S.NOT_RECEIVED, closed=vn(2026, 3, 3, 8))
    # D11: withdrawn by the applicant: received, but neither resolved nor judged.
    d[11] = make(a, p, "D11", status=S.WITHDRAWN, received=vn(2026, 3, 2, 8),
                 due=vn(2026, 3, 5, 8), closed=vn(2026, 3, 4, 8))
    # D12: returned without a processing date: the end is the return, after the
    # appointment: late. 26 h.
    d[12] = make(a, p, "D12", received=vn(2026, 3, 2, 8), due=vn(2026, 3, 5, 8),
                 returned=vn(2026, 3, 5, 10), closed=vn(2026, 3, 5, 10))
    # D13: waiting for a supplement requested before the appointment: the clock is
    # stopped, not late at the period end.
    d[13] = make(a, p, "D13", status=S.SUPPLEMENT_REQUESTED, received=vn(2026, 3, 9, 8),
                 due=vn(2026, 3, 12, 8), supplements=1, paused_at=vn(2026, 3, 10, 8))
    # D14: waiting for a supplement requested after the appointment had passed: late.
    d[14] = make(a, p, "D14", status=S.SUPPLEMENT_REQUESTED, received=vn(2026, 3, 2, 8),
                 due=vn(2026, 3, 5, 8), supplements=1, paused_at=vn(2026, 3, 6, 8))
    # D15: received in the previous month, stopped late in this one: resolved here only.
    d[15] = make(a, p, "D15", status=S.STOPPED, received=vn(2026, 2, 10, 8),
                 due=vn(2026, 2, 13, 8), closed=vn(2026, 3, 2, 8))
    # D16: received here, processed after the period: open at the end and late then.
    d[16] = make(a, p, "D16", received=vn(2026, 3, 10, 8), due=vn(2026, 3, 13, 8),
                 processed=vn(2026, 3, 20, 8), returned=vn(2026, 3, 20, 9),
                 closed=vn(2026, 3, 20, 9))
    # D17: received after the period: counted nowhere.
    d[17] = make(a, p, "D17", status=S.RECEIVED, received=vn(2026, 3, 16, 8),
                 due=vn(2026, 3, 19, 8))
    # D18: online, paid online, a paper reused from the data store, electronic result,
    # on time. 8 h.
    d[18] = make(a, p, "D18", channel=ONLINE, received=vn(2026, 3, 11, 8),
                 due=vn(2026, 3, 16, 8), processed=vn(2026, 3, 12, 8),
                 returned=vn(2026, 3, 12, 9), closed=vn(2026, 3, 12, 9), fee=4000)
    e_result(d[18])
    Payment.objects.create(dossier=d[18], channel="online", amount=4000, status="paid",
                           created_at=vn(2026, 3, 11, 8), paid_at=vn(2026, 3, 11, 8, 5))
    kind = PaperKind.objects.create(code="cccd", name="Căn cước")
    paper = StoredPaper.objects.create(owner=citizen, kind=kind, title="Căn cước",
                                       file="store/x.pdf", original_name="x.pdf",
                                       content_type="application/pdf", size=1, sha256="0" * 64,
                                       source="uploaded")
    PaperUse.objects.create(paper=paper, dossier=d[18], agency=a, used_at=vn(2026, 3, 11, 8),
                            how="online")
    # D19: counter, a component digitised, fee paid in cash, open and not yet due.
    d[19] = make(a, p, "D19", status=S.RECEIVED, received=vn(2026, 3, 12, 8),
                 due=vn(2026, 3, 17, 8), fee=8000)
    DossierFile.objects.create(dossier=d[19], file="dossiers/x.pdf", original_name="so-hoa.pdf",
                               content_type="application/pdf", size=1, sha256="0" * 64,
                               is_digitised=True)
    Payment.objects.create(dossier=d[19], channel="cash", amount=8000, status="paid",
                           created_at=vn(2026, 3, 12, 8), paid_at=vn(2026, 3, 12, 8))
    # D20 at commune B: on time.
    d[20] = make(commune_b, p, "D20", received=vn(2026, 3, 3, 8), due=vn(2026, 3, 6, 8),
                 processed=vn(2026, 3, 5, 8), returned=vn(2026, 3, 5, 9),
                 closed=vn(2026, 3, 5, 9))
    return d


@pytest.fixture
def data(commune_a, commune_b, procedure, citizen):
    return build(commune_a, commune_b, procedure, citizen)


def figures(result):
    return {i.code: (i.numerator, i.denominator, i.rate, i.score, i.available)
            for i in result.indicators}


DEC = Decimal
EXPECTED_COMMUNE_A = {
    "1.1": (0, 1, DEC("0.00"), DEC("0.00"), True),   # version entered after its effective date
    "1.2": (0, 0, None, None, False),                 # no amended version
    "1.3": (0, 1, DEC("0.00"), DEC("0.00"), True),   # no steps or method published
    "1.4": (None, None, None, None, False),
    "2.1": (7, 16, DEC("43.75"), DEC("6.13"), True),
    "2.2": (1, 1, DEC("100.00"), DEC("6.00"), True),
    "3.1": (1, 1, DEC("100.00"), DEC("4.00"), True),
    "3.2": (1, 1, DEC("100.00"), DEC("2.00"), True),
    "3.3": (1, 16, DEC("6.25"), DEC("0.75"), True),
    "3.5": (1, 1, DEC("100.00"), DEC("4.00"), True),
    "3.6": (1, 2, DEC("50.00"), DEC("3.00"), True),
    "4.1": (2, 8, DEC("25.00"), DEC("1.25"), True),
    "4.2": (2, 16, DEC("12.50"), DEC("0.78"), True),
    "4.3": (1, 16, DEC("6.25"), DEC("0.39"), True),
    "4.4": (1, 16, DEC("6.25"), DEC("0.25"), True),
    "4.5": (None, None, None, None, False),
    "5.1": (None, None, None, None, False),
    "5.2": (None, None, None, None, False),
    "5.3": (None, None, None, None, False),
    "5.4": (7, 16, DEC("43.75"), DEC("4.38"), True),
}


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["direct", "fast"])
def test_every_indicator_by_hand(data, commune_a, method):
    result = compute_index(scopes.Scope(commune_a), MARCH, method=method)
    assert figures(result) == EXPECTED_COMMUNE_A
    assert result.total == DEC("32.93")
    assert result.available_points == DEC(79)  # 100 less 1.2, 1.4, 4.5, 5.1-5.3
    assert [(g.code, g.points, g.score) for g in result.groups] == [
        ("1", DEC(18), DEC("0.00")), ("2", DEC(20), DEC("12.13")), ("3", DEC(12), DEC("6.75")),
        ("4", DEC(10), DEC("7.00")), ("5", DEC(18), DEC("4.38")), ("6", DEC(22), DEC("2.67"))]
    assert result.indicator("3.3").threshold == DEC(50)
    assert result.indicator("2.1").threshold is None
    assert result.indicator("1.4").note
    head = result.headline
    assert (head.received, head.resolved, head.open_late) == (16, 10, 3)
    assert [(r.numerator, r.denominator) for r in (
        head.online_share, head.online_payment, head.digitisation, head.electronic_result,
        head.reuse, head.on_time)] == [(2, 16), (1, 2), (2, 16), (2, 8), (1, 16), (7, 16)]
    assert head.on_time.rate == DEC("43.75")
    # 61200+118800+82800+28800+57600+115200+93600+28800 s over 8 dossiers / 28800 s a day
    assert head.avg_processing_days == [("1.001193.000.00.00.H37", "Đăng ký khai sinh",
                                         DEC("2.55"))]


@pytest.mark.django_db
def test_as_dict_is_json_ready(data, commune_a):
    import json

    payload = compute_index(scopes.Scope(commune_a), MARCH).as_dict()
    json.dumps(payload)
    assert payload["total"] == "32.93"
    assert payload["scope"]["code"] == commune_a.code
    assert payload["period"]["start"] == "2026-02-15"
    indicator = payload["groups"][1]["indicators"][0]
    assert indicator["code"] == "2.1" and indicator["rate"] == "43.75"
    assert payload["headline"]["on_time"] == {"numerator": 7, "denominator": 16,
                                              "rate": "43.75"}


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["direct", "fast"])
def test_province_rolls_up_its_communes(data, province, method):
    result = compute_index(scopes.Scope(province), MARCH, method=method)
    assert result.headline.received == 17
    assert result.headline.resolved == 11
    assert result.indicator("2.1").numerator == 8
    assert result.indicator("2.1").denominator == 17


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["direct", "fast"])
def test_instance_and_other_roots(data, procedure, method):
    ministry = Agency.objects.create(code="000.00.00.G01", name="Bộ Tư pháp",
                                     level=Agency.Level.MINISTRY, valid_from=dt.date(2025, 3, 1))
    make(ministry, procedure, "D21", channel=ONLINE, status=S.PROCESSING,
         received=vn(2026, 3, 3, 8), due=vn(2026, 3, 6, 8))
    result = compute_index(scopes.instance(), MARCH, method=method)
    assert result.headline.received == 18
    assert result.headline.open_late == 4
    assert result.indicator("2.1").denominator == 18
    assert result.headline.online_share.numerator == 3
    ministry_only = compute_index(scopes.Scope(ministry), MARCH, method=method)
    assert ministry_only.headline.received == 1
    assert ministry_only.headline.on_time.numerator == 0


@pytest.mark.django_db
def test_ranking_best_first(data, province, commune_a, commune_b):
    ranked = ranking(scopes.Scope(province), MARCH)
    assert [r.scope.code for r in ranked] == [commune_b.code, commune_a.code]
    assert ranked[0].total > ranked[1].total


@pytest.mark.django_db
def test_ranking_equals_the_index_of_each_sub_unit(data, province, procedure):
    for scope, period, filters in (
            (scopes.Scope(province), MARCH, None), (scopes.instance(), MARCH, None),
            (scopes.Scope(province), MARCH, Filters(procedure=procedure.national_code)),
            (scopes.instance(), periods.year(2026), Filters(sector="HT"))):
        ranked = ranking(scope, period, filters)
        one_by_one = [compute_index(child, period, filters) for child in scopes.children(scope)]
        one_by_one.sort(key=lambda r: (-r.total, r.scope.code or ""))
        assert [r.as_dict() for r in ranked] == [r.as_dict() for r in one_by_one]
        assert [r.total for r in ranked] == [r.total for r in one_by_one]
    assert ranking(scopes.Scope(province), MARCH)[0].headline.received > 0


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["2.1", "3.3", "3.6", "4.1", "4.2", "4.3", "4.4", "5.4",
                                  "online_share", "online_payment", "digitisation",
                                  "electronic_result", "reuse", "on_time"])
def test_drilldown_counts_equal_the_figures(data, commune_a, code):
    scope = scopes.Scope(commune_a)
    result = compute_index(scope, MARCH)
    if "." in code:
        figure = result.indicator(code)
        expected = (figure.numerator, figure.denominator)
    else:
        rate = getattr(result.headline, code)
        expected = (rate.numerator, rate.denominator)
    assert (drilldown(scope, MARCH, code, "numerator").count(),
            drilldown(scope, MARCH, code, "denominator").count()) == expected


@pytest.mark.django_db
def test_drilldown_lists_the_right_dossiers(data, commune_a):
    scope = scopes.Scope(commune_a)
    names = {v.pk: k for k, v in data.items()}

    def listed(code, part="numerator"):
        return sorted(names[d.pk] for d in drilldown(scope, MARCH, code, part))

    assert listed("2.1") == [1, 3, 6, 7, 13, 18, 19]
    assert listed("2.1", "denominator") == [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 18, 19]
    assert listed("open_late") == [5, 14, 16]
    assert listed("resolved") == [1, 2, 3, 4, 7, 8, 9, 12, 15, 18]
    assert listed("4.1") == [1, 18]
    assert listed("4.2") == [18, 19]
    assert listed("3.3") == [18]


@pytest.mark.django_db
def test_drilldown_refuses_bad_input(data, commune_a):
    scope = scopes.Scope(commune_a)
    with pytest.raises(InvalidInput):
        drilldown(scope, MARCH, "1.1")
    with pytest.raises(InvalidInput):
        drilldown(scope, MARCH, "2.1", "both")
    with pytest.raises(InvalidInput):
        drilldown(scope, MARCH, "nonsense")


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["direct", "fast"])
def test_filters(data, commune_a, procedure, method):
    scope = scopes.Scope(commune_a)
    by_procedure = compute_index(scope, MARCH, Filters(procedure=procedure.national_code),
                                 method=method)
    by_sector = compute_index(scope, MARCH, Filters(sector="HT"), method=method)
    assert by_procedure.total == by_sector.total == DEC("32.93")
    other = Procedure.objects.create(national_code="2.000001.000.00.00.H37", name="Khác",
                                     sector=procedure.sector, level=procedure.level)
    empty = compute_index(scope, MARCH, Filters(procedure=other.national_code), method=method)
    assert empty.headline.received == 0
    assert not empty.indicator("2.1").available
    with pytest.raises(InvalidInput):
        compute_index(scope, MARCH, Filters(sector="NOPE"), method=method)
    with pytest.raises(InvalidInput):
        compute_index(scope, MARCH, Filters(procedure="0.000"), method=method)


@pytest.mark.django_db
def test_unknown_method_is_refused(data, commune_a):
    with pytest.raises(InvalidInput):
        compute_index(scopes.Scope(commune_a), MARCH, method="guess")


@pytest.mark.django_db
def test_weights_in_force_on_the_period_end(data, commune_a):
    IndicatorWeight.objects.create(code="2.1", group="2", points=DEC(10), threshold=DEC(50),
                                   effective_from=dt.date(2026, 3, 15))
    IndicatorWeight.objects.create(code="2.2", group="2", points=DEC(10), threshold=None,
                                   effective_from=dt.date(2026, 3, 15))
    scope = scopes.Scope(commune_a)
    march = compute_index(scope, MARCH)
    assert march.indicator("2.1").points == DEC(14)  # the new weights start the day after
    april = compute_index(scope, periods.month(2026, 4))
    assert april.indicator("2.1").points == DEC(10)
    assert april.indicator("2.1").threshold == DEC(50)
    # March again, as a range ending on the first day of the new weights.
    extended = compute_index(scope, periods.date_range(MARCH.start, dt.date(2026, 3, 15)))
    assert extended.indicator("2.1").points == DEC(10)
    # 7 on time of 16, threshold 50%: 43.75 / 50 x 10
    assert extended.indicator("2.1").score == DEC("8.75")


@pytest.mark.django_db
def test_late_open_dossiers(data, commune_a):
    late = late_open_dossiers(scopes.Scope(commune_a), now=vn(2026, 3, 15, 0))
    # D14 waits for the applicant and is not listed; D19 and D6 are not due yet.
    assert [d.code.rsplit("-", 1)[1] for d in late] == ["D5"]
    later = late_open_dossiers(scopes.Scope(commune_a), now=vn(2026, 3, 20, 0))
    assert {d.code.rsplit("-", 1)[1] for d in later} == {"D5", "D6", "D19", "D17"}
