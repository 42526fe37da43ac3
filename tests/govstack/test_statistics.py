"""``GET /data/statistics`` counts decisions from the same figures as the service index.

The month of dossiers of the index tests is entered after the fact (March
2026, dated by the services' ``now``), so its audit events carry today's
clock: the statistics must date each decision by the dossier's own record,
as the index does, and conform to the published schema.
"""
# ruff: noqa: F811 - the month_data fixture is imported from tests.reports.ui_support

import pytest

from digigov.dossiers import services
from digigov.reports import index, periods, scopes
from tests.conftest import FORM, component_files, vn
from tests.reports.ui_support import COUNTER_APPLICANT, month_data  # noqa: F401

from .conftest import STATISTICS, Api, assert_conforms

pytestmark = pytest.mark.django_db
MARCH = {"startDate": "2026-02-15", "endDate": "2026-03-14"}


def stats(params) -> list[dict]:
    response = Api().get("/data/statistics", params)
    assert response.status_code == 200, response.content
    return assert_conforms(response, "/data/statistics", "get", spec=STATISTICS)


def numbers(item) -> tuple[int, int, int, int]:
    return item["processed"], item["approved"], item["sentBack"], item["rejected"]


def test_approved_equals_the_index_over_the_reporting_month(month_data):
    body = stats(MARCH)
    assert len(body) == 1
    result = index.compute_index(scopes.instance(), periods.month(2026, 3))
    assert body[0]["approved"] == result.indicator("4.1").denominator == 3
    assert numbers(body[0]) == (3, 3, 0, 0)
    assert body[0]["references"] == {"startDate": "2026-02-15", "endDate": "2026-03-14",
                                     "timeframeDay": False, "timeframeWeek": False,
                                     "timeframeMonth": False, "timeframeYear": False}
    # Nothing was decided in the month after, whatever the audit clock says.
    assert numbers(stats({"startDate": "2026-03-15", "endDate": "2026-04-14"})[0]) == (0, 0, 0, 0)


def test_decisions_fall_on_their_own_days(month_data):
    body = stats({"startDate": "2026-03-01", "endDate": "2026-03-10", "timeframe": "day"})
    assert len(body) == 10
    by_day = {item["references"]["startDate"]: item["approved"] for item in body}
    assert by_day["2026-03-04"] == 2 and by_day["2026-03-10"] == 1
    assert sum(by_day.values()) == 3
    weeks = stats({"startDate": "2026-03-01", "endDate": "2026-03-10", "timeframe": "week"})
    assert [(w["references"]["startDate"], w["approved"]) for w in weeks] == [
        ("2026-03-01", 0), ("2026-03-02", 2), ("2026-03-09", 1)]


def test_refusals_stops_withdrawals_and_supplements(month_data, procedure, citizen, commune_a,
                                                    counter_a, leader_a):
    refused = services.submit_online(applicant=citizen, procedure=procedure, form_data=FORM,
                                     files=component_files(procedure), agency=commune_a,
                                     now=vn(2026, 3, 5, 8, 0))
    services.refuse(officer=counter_a, dossier=refused, reason="Không thuộc thẩm quyền",
                    now=vn(2026, 3, 5, 9, 0))
    stopped = month_data["a_open_late"]
    services.stop_processing(official=leader_a, dossier=stopped, reason="Không bổ sung",
                             now=vn(2026, 3, 6, 9, 0))
    asked = services.submit_at_counter(
        officer=counter_a, procedure=procedure, agency=commune_a, applicant=COUNTER_APPLICANT,
        form_data=FORM, files=component_files(procedure), now=vn(2026, 3, 6, 8, 0))
    services.request_supplement(official=counter_a, dossier=asked, reason="Thiếu giấy tờ",
                                items=["Giấy chứng sinh bản chính"], now=vn(2026, 3, 6, 10, 0))
    body = stats({"startDate": "2026-03-05", "endDate": "2026-03-06", "timeframe": "day"})
    fifth, sixth = body
    assert numbers(fifth) == (1, 0, 0, 1)
    assert numbers(sixth) == (2, 0, 1, 1)


def test_operator_and_role_keep_the_matching_decisions(month_data, leader_a):
    body = stats({**MARCH, "operator": leader_a.full_name, "role": "leader"})
    assert numbers(body[0]) == (2, 2, 0, 0)  # commune A's leader approved two dossiers
    assert body[0]["references"]["operator"] == leader_a.full_name
    assert numbers(stats({**MARCH, "role": "specialist"})[0]) == (0, 0, 0, 0)
    assert numbers(stats({**MARCH, "registrationName": "khai sinh"})[0])[1] == 3
    assert numbers(stats({**MARCH, "registrationName": "kết hôn"})[0]) == (0, 0, 0, 0)


def test_long_ranges_without_a_timeframe(month_data):
    body = stats({"startDate": "2001-01-01", "endDate": "2026-12-31"})
    assert body[0]["approved"] == 3
