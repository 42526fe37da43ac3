"""The index pages: the public scoreboard, unit pages, the leaders' dashboard, drill-downs."""
# ruff: noqa: F811 - the month_data fixture is imported from ui_support

import re

import pytest
from django.urls import reverse

from digigov.accounts.models import Role
from digigov.reports import index
from digigov.reports.charts import fmt
from tests.conftest import make_official

from .ui_support import MARCH, login, month_data, month_query, scope  # noqa: F401

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def cell_after(html: str, anchor: str) -> str:
    """The text of the first table cell after ``anchor`` (an element id)."""
    tail = html[html.index(anchor):]
    return re.sub(r"<[^>]+>", "", tail)


# -- public scoreboard ------------------------------------------------------------------------
def test_scoreboard_lists_top_level_units_with_their_totals(client, month_data, province):
    response = client.get(reverse("reports:scoreboard"), month_query())
    assert response.status_code == 200
    page = text(response)
    overall = index.compute_index(scope(), MARCH)
    province_result = index.compute_index(scope(province.code), MARCH)
    assert "Tháng 3/2026" in page and "15/02/2026" in page and "14/03/2026" in page
    assert fmt(overall.total) in page
    assert province.name in page and fmt(province_result.total) in page
    assert reverse("reports:unit", args=[province.code]) in page
    # The chart is an accessible SVG with its own title and description.
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'role="img"' in page
    assert '<title id="chart-dia-phuong-title">' in page
    assert '<desc id="chart-dia-phuong-desc">' in page
    # No personal data on a public page.
    for dossier in month_data.values():
        assert dossier.code not in page and dossier.applicant_name not in page


def test_scoreboard_defaults_to_the_current_month_and_refuses_a_bad_period(client, db):
    assert client.get(reverse("reports:scoreboard")).status_code == 200
    response = client.get(reverse("reports:scoreboard"), {"period": "month-2026-13"})
    assert response.status_code == 400
    assert "error-summary" in text(response)
    response = client.get(reverse("reports:scoreboard"), {"period": "range",
                                                          "start": "2026-03-10",
                                                          "end": "2026-03-01"})
    assert response.status_code == 400


def test_unit_page_shows_every_indicator_as_computed(client, month_data, commune_a):
    response = client.get(reverse("reports:unit", args=[commune_a.code]), month_query())
    assert response.status_code == 200
    page = text(response)
    result = index.compute_index(scope(commune_a.code), MARCH)
    assert fmt(result.total) in page
    for item in result.indicators:
        row = page[page.index(f'id="chi-so-{item.code}"'):]
        row = row[:row.index("</tr>")]
        assert str(item.name) in row
        assert fmt(item.rate) in row and fmt(item.score) in row
        if item.numerator is not None:
            assert f">{item.numerator}<" in row, row
    # The public page has no drill-down into dossiers.
    assert reverse("reports:drilldown") not in page
    assert month_data["a_late"].code not in page


def test_unit_page_with_a_range_period_and_unknown_unit(client, month_data, commune_a):
    response = client.get(reverse("reports:unit", args=[commune_a.code]),
                          {"period": "range", "start": "2026-03-01", "end": "2026-03-05"})
    assert response.status_code == 200
    assert "01/03/2026 – 05/03/2026" in text(response)
    assert client.get(reverse("reports:unit", args=["999.99.99.X99"])).status_code == 404


def test_unit_page_in_english(client, month_data, commune_a):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("reports:unit", args=[commune_a.code]), month_query(),
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200


# -- dashboard: who may see what -----------------------------------------------------------
def test_dashboard_needs_a_login_and_a_leader_role(client, month_data, counter_a, citizen):
    url = reverse("reports:dashboard")
    response = client.get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    login(client, counter_a)
    assert client.get(url).status_code == 403
    client.logout()
    login(client, citizen)
    assert client.get(url).status_code == 403


def test_commune_leader_cannot_open_another_commune(client, month_data, leader_a, commune_b,
                                                    province):
    login(client, leader_a)
    for code in (commune_b.code, province.code, ""):
        response = client.get(reverse("reports:dashboard"), month_query(unit=code))
        assert response.status_code == 404, code
        response = client.get(reverse("reports:drilldown"),
                              month_query(unit=code, code="online_share", part="denominator"))
        assert response.status_code == 404, code
        response = client.get(reverse("reports:late"), month_query(unit=code))
        assert response.status_code == 404, code


def test_leader_dashboard_shows_the_computed_figures(client, month_data, leader_a, commune_a):
    login(client, leader_a)
    response = client.get(reverse("reports:dashboard"), month_query())
    assert response.status_code == 200
    page = text(response)
    result = index.compute_index(scope(commune_a.code), MARCH)
    assert fmt(result.total) in page
    for group in result.groups:
        assert fmt(group.score) in page
    for item in result.indicators:
        row = page[page.index(f'id="chi-so-{item.code}"'):]
        row = row[:row.index("</tr>")]
        assert fmt(item.rate) in row and fmt(item.score) in row
    headline = result.headline
    assert fmt(headline.online_share.rate) + "%" in page
    # The late open dossier is in the attention list, with a link to its office page.
    late = month_data["a_open_late"]
    assert late.code in page and reverse("office:detail", args=[late.uuid]) in page
    assert month_data["b_on_time"].code not in page
    # Trend charts with a data table alternative.
    assert 'id="trend-total"' in page and 'id="trend-rates"' in page
    assert page.count("<details class=\"chart-data\">") >= 3


def test_every_dashboard_figure_links_to_its_dossiers(client, month_data, leader_a, commune_a):
    login(client, leader_a)
    page = text(client.get(reverse("reports:dashboard"), month_query()))
    result = index.compute_index(scope(commune_a.code), MARCH)
    links = re.findall(r'href="(/bao-cao/bang-dieu-khien/chi-tiet/\?[^"]+)"', page)
    assert links
    checked = set()
    for link in links:
        link = link.replace("&amp;", "&")
        response = client.get(link)
        assert response.status_code == 200, link
        params = dict(p.split("=", 1) for p in link.split("?", 1)[1].split("&"))
        expected = index.drilldown(scope(commune_a.code), MARCH, params["code"], params["part"])
        caption = re.search(r'<caption id="dossiers-caption">(\d+) hồ sơ', text(response))
        assert int(caption.group(1)) == expected.count(), link
        for dossier in expected:
            assert dossier.code in text(response)
        checked.add(params["code"])
    drillable = {i.code for i in result.indicators if i.drilldown and i.numerator is not None}
    assert drillable <= checked
    assert {"online_share", "on_time", "digitisation"} <= checked


def test_drilldown_lists_dossier_details_and_refuses_unknown_codes(client, month_data,
                                                                  leader_a, commune_a):
    login(client, leader_a)
    response = client.get(reverse("reports:drilldown"),
                          month_query(code="2.1", part="denominator"))
    assert response.status_code == 200
    page = text(response)
    for key in ("a_on_time", "a_late", "a_open_late"):
        assert month_data[key].code in page
    assert month_data["b_on_time"].code not in page
    assert "Quá hạn" in page and "Đăng ký khai sinh" in page
    assert "Nguyễn Văn A" not in page  # the list names dossiers, not applicants
    response = client.get(reverse("reports:drilldown"), month_query(code="1.1"))
    assert response.status_code == 400
    response = client.get(reverse("reports:drilldown"), month_query(code="2.1", part="all"))
    assert response.status_code == 400


def test_drilldown_is_paginated_keeping_its_filters(client, month_data, leader_a, settings):
    from digigov.reports import views

    login(client, leader_a)
    old = views.DRILLDOWN_PAGE_SIZE
    views.DRILLDOWN_PAGE_SIZE = 2
    try:
        response = client.get(reverse("reports:drilldown"),
                              month_query(code="received", part="numerator"))
        page = text(response)
        assert "Trang 1/2" in page
        assert "code=received&amp;part=numerator&amp;page=2" in page
        second = client.get(reverse("reports:drilldown"),
                            month_query(code="received", part="numerator", page="2"))
        assert "Trang 2/2" in text(second)
    finally:
        views.DRILLDOWN_PAGE_SIZE = old


def test_province_leader_sees_communes_ranked_and_opens_one(client, month_data, province,
                                                            commune_a, commune_b):
    boss = make_official("chutich@example.vn", province, Role.LEADER)
    login(client, boss)
    response = client.get(reverse("reports:dashboard"), month_query())
    assert response.status_code == 200
    page = text(response)
    ranked = index.ranking(scope(province.code), MARCH)
    assert [r.scope.code for r in ranked][:2] and len(ranked) == 2
    positions = [page.index(f">{r.scope.label}</a></th>") for r in ranked]
    assert positions == sorted(positions)
    # From the ranking to the commune's dashboard.
    response = client.get(reverse("reports:dashboard"), month_query(unit=commune_b.code))
    assert response.status_code == 200
    assert month_data["a_open_late"].code not in text(response)
    assert "Lên đơn vị cấp trên" in text(response)


def test_filters_by_sector_and_procedure(client, month_data, leader_a, procedure):
    login(client, leader_a)
    response = client.get(reverse("reports:dashboard"), month_query(
        sector=procedure.sector.code, procedure=procedure.national_code))
    assert response.status_code == 200
    response = client.get(reverse("reports:dashboard"), month_query(sector="KHONG-CO"))
    assert response.status_code == 400


def test_superuser_sees_the_instance(client, month_data, django_user_model):
    admin = django_user_model.objects.create_superuser(email="admin@example.vn",
                                                       password="x-Mat-khau-2025!",
                                                       full_name="Quản trị")
    client.force_login(admin)
    response = client.get(reverse("reports:dashboard"), month_query())
    assert response.status_code == 200
    assert fmt(index.compute_index(scope(), MARCH).total) in text(response)


def test_late_list(client, month_data, leader_a):
    login(client, leader_a)
    response = client.get(reverse("reports:late"), month_query())
    assert response.status_code == 200
    assert month_data["a_open_late"].code in text(response)
    assert month_data["a_late"].code not in text(response)


def test_navigation_links(client, month_data, leader_a, citizen):
    page = text(client.get(reverse("portal:home")))
    assert reverse("reports:scoreboard") in page and reverse("reports:dashboard") not in page
    login(client, leader_a)
    page = text(client.get(reverse("reports:scoreboard")))
    assert reverse("reports:dashboard") in page


def test_many_sub_units_are_ranked_on_their_own_page(client, month_data, province, leader_a,
                                                      monkeypatch):
    from digigov.reports import views

    monkeypatch.setattr(views, "RANKING_INLINE", 1)
    ranked = index.ranking(scope(province.code), MARCH)
    boss = make_official("chutich@example.vn", province, Role.LEADER)
    login(client, boss)
    page = text(client.get(reverse("reports:dashboard"), month_query()))
    assert "Đơn vị có 2 đơn vị trực thuộc." in page
    assert f">{ranked[0].scope.label}</a></th>" not in page
    link = re.search(r'href="(/bao-cao/bang-dieu-khien/xep-hang/\?[^"]+)"', page).group(1)
    response = client.get(link.replace("&amp;", "&"))
    assert response.status_code == 200
    page = text(response)
    positions = [page.index(f">{r.scope.label}</a></th>") for r in ranked]
    assert positions == sorted(positions)
    for r in ranked:
        assert fmt(r.total) in page
    # The public page of the province, and its ranking page.
    client.logout()
    page = text(client.get(reverse("reports:unit", args=[province.code]), month_query()))
    assert reverse("reports:unit_ranking", args=[province.code]) in page
    response = client.get(reverse("reports:unit_ranking", args=[province.code]), month_query())
    assert response.status_code == 200
    assert all(f">{r.scope.label}</a></th>" in text(response) for r in ranked)
    # A commune leader does not reach the province's ranking.
    login(client, leader_a)
    response = client.get(reverse("reports:dashboard_ranking"),
                          month_query(unit=province.code))
    assert response.status_code == 404


def test_the_navigation_marks_the_current_page(client, month_data, leader_a):
    login(client, leader_a)
    page = text(client.get(reverse("reports:scoreboard")))
    assert f'href="{reverse("reports:scoreboard")}" aria-current="page"' in page
    page = text(client.get(reverse("reports:late"), month_query()))
    assert f'href="{reverse("reports:dashboard")}" aria-current="page"' in page
    assert f'href="{reverse("reports:scoreboard")}" aria-current="page"' not in page


def test_scoreboard_ranks_provinces_and_ministries_apart(client, month_data, province):
    import datetime as dt

    from digigov.orgs.models import Agency

    ministry = Agency.objects.create(code="G01", name="Bộ Tư pháp", level=Agency.Level.MINISTRY,
                                     valid_from=dt.date(2025, 7, 1))
    page = text(client.get(reverse("reports:scoreboard"), month_query()))
    provinces = page.index('id="dia-phuong-title"')
    ministries = page.index('id="bo-nganh-title"')
    assert provinces < page.index(f">{province.name}</a></th>") < ministries
    assert page.index(f">{ministry.name}</a></th>") > ministries
    assert 'id="chart-dia-phuong"' in page and 'id="chart-bo-nganh"' in page


def test_pages_have_unique_ids_and_labelled_controls(client, month_data, province):
    from html.parser import HTMLParser

    class Collector(HTMLParser):
        def __init__(self):
            super().__init__()
            self.ids, self.labels, self.controls = [], set(), []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if "id" in attrs:
                self.ids.append(attrs["id"])
            if tag == "label" and attrs.get("for"):
                self.labels.add(attrs["for"])
            if tag in ("select", "input") and attrs.get("type") != "hidden":
                self.controls.append(attrs.get("id"))

    boss = make_official("chutich@example.vn", province, Role.LEADER)
    login(client, boss)
    for url in (reverse("reports:dashboard"), reverse("reports:scoreboard"),
                reverse("reports:unit", args=[province.code]),
                reverse("reports:dashboard_ranking")):
        page = Collector()
        page.feed(text(client.get(url, month_query())))
        duplicates = {i for i in page.ids if page.ids.count(i) > 1}
        assert not duplicates, (url, duplicates)
        unlabelled = [c for c in page.controls if c not in page.labels]
        assert not unlabelled, (url, unlabelled)


def test_a_province_leader_sees_commune_dossiers_without_office_links(
        client, month_data, province, commune_a, leader_a):
    boss = make_official("chutich@example.vn", province, Role.LEADER)
    login(client, boss)
    dossier = month_data["a_open_late"]
    office = reverse("office:detail", args=[dossier.uuid])
    listed = text(client.get(reverse("reports:late"), month_query(unit=province.code)))
    assert dossier.code in listed and office not in listed
    # The office page would not show it to them either.
    assert client.get(office).status_code == 404
    login(client, leader_a)
    listed = text(client.get(reverse("reports:late"), month_query(unit=commune_a.code)))
    assert office in listed
