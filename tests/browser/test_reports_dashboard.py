"""A commune leader opens the service-index dashboard and drills down to a late dossier,
in a real Chromium (skips when Chromium is not installed)."""
# ruff: noqa: F811 - fixtures imported from their modules

import pytest

from digigov.reports import index
from digigov.reports.charts import fmt
from tests.reports.ui_support import MARCH, month_data, scope  # noqa: F401

from .test_submit_and_receive import CHROMIUM, browser, sign_in  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (apt-get install chromium)"),
]


@pytest.mark.django_db(transaction=True)
def test_leader_opens_the_dashboard_and_drills_down(live_server, browser, month_data,
                                                    leader_a, commune_a):
    base = live_server.url
    expected = index.compute_index(scope(commune_a.code), MARCH)
    page = browser.new_page()
    sign_in(page, base, leader_a.email)
    page.get_by_role("link", name="Bảng điều hành").click()
    page.get_by_role("combobox", name="Kỳ báo cáo").select_option("month-2026-3")
    page.get_by_role("button", name="Xem").click()
    page.get_by_role("heading", name="Tháng 3/2026").wait_for()
    assert page.locator(".total-value").inner_text() == fmt(expected.total)
    # The trend chart is an image with a name, and its figures are a table too.
    assert page.get_by_role("img", name="Tổng điểm qua các kỳ").count() == 1

    # Indicator 2.1: the denominator lists the three dossiers judged in the month.
    row = page.locator('[id="chi-so-2.1"]')
    row.get_by_role("link", name=str(expected.indicator("2.1").denominator)).click()
    page.get_by_role("heading", name="2.1", exact=False).wait_for()
    late = month_data["a_late"]
    assert page.get_by_role("link", name=late.code).count() == 1
    assert "Quá hạn" in page.locator(f'tr:has-text("{late.code}")').inner_text()

    # On to the office page of the dossier.
    page.get_by_role("link", name=late.code).click()
    page.get_by_text(late.code).first.wait_for()
    assert f"/office/d/{late.uuid}/" in page.url
