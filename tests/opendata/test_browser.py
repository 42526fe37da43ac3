"""An agency administrator publishes a dataset in a real Chromium; anyone finds and opens it."""

import pytest

from digigov.opendata.models import Dataset
from tests.browser.test_submit_and_receive import CHROMIUM, browser, sign_in  # noqa: F401

from .conftest import CSV_TEXT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (apt-get install chromium)"),
]


@pytest.mark.django_db(transaction=True)
def test_administrator_publishes_and_the_public_downloads(live_server, browser, tmp_path,  # noqa: F811
                                                          admin_a, commune_a, theme):
    data = tmp_path / "diem-phuc-vu.csv"
    data.write_text(CSV_TEXT, encoding="utf-8")
    base = live_server.url
    page = browser.new_page()
    sign_in(page, base, admin_a.email)
    page.goto(f"{base}/du-lieu-mo/")
    page.get_by_role("link", name="Quản lý dữ liệu mở").click()
    page.get_by_role("link", name="Tạo bộ dữ liệu").click()
    page.get_by_label("Tên bộ dữ liệu").fill("Điểm phục vụ hành chính công")
    page.get_by_label("Tên định danh").fill("diem-phuc-vu")
    page.get_by_label("Mô tả").fill("Danh sách điểm tiếp nhận hồ sơ.")
    page.get_by_label("Từ khóa", exact=True).fill("một cửa, điểm phục vụ")
    page.get_by_label("Thống kê").check()
    page.get_by_role("button", name="Tạo bản nháp").click()
    page.get_by_text("Đã tạo bản nháp").wait_for()

    page.get_by_label("Tệp dữ liệu", exact=True).set_input_files(str(data))
    page.get_by_label("Tên tài nguyên").fill("Bảng điểm phục vụ")
    page.get_by_role("button", name="Thêm tài nguyên").click()
    page.get_by_text("Đã thêm tài nguyên").wait_for()
    page.get_by_role("button", name="Công bố").click()
    page.get_by_text("Đã công bố").first.wait_for()
    assert Dataset.objects.get(name="diem-phuc-vu").state == "published"

    visitor = browser.new_page()
    visitor.goto(f"{base}/du-lieu-mo/")
    visitor.get_by_label("Từ khóa", exact=True).fill("diem phuc vu")
    visitor.get_by_role("button", name="Tìm kiếm").click()
    visitor.get_by_role("link", name="Điểm phục vụ hành chính công").click()
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Tải về Bảng điểm phục vụ").click()
    saved = tmp_path / "saved.csv"
    download.value.save_as(saved)
    assert saved.read_text(encoding="utf-8") == CSV_TEXT
