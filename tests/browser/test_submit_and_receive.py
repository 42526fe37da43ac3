"""A citizen submits a dossier and an officer receives it, in a real Chromium.

Playwright drives Debian's Chromium (/usr/bin/chromium, or $CHROMIUM); the
test skips with the reason when it is not installed.
"""

import os
import shutil

import pytest

from digigov.dossiers.models import Dossier, Status
from tests.conftest import PASSWORD, PDF_BYTES

CHROMIUM = (os.environ.get("CHROMIUM") or shutil.which("chromium")
            or shutil.which("chromium-browser"))

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls made
    # by the test itself between page actions are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield chromium
        chromium.close()


def sign_in(page, base, login):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Thư điện tử hoặc số điện thoại").fill(login)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


@pytest.mark.django_db(transaction=True)
def test_citizen_submits_online_and_officer_receives(live_server, browser, tmp_path, procedure,
                                                     commune_a, citizen, counter_a):
    base = live_server.url
    version = procedure.version_on()
    scans = {}
    for component in version.components.filter(required=True):
        path = tmp_path / f"component-{component.order}.pdf"
        path.write_bytes(PDF_BYTES)
        scans[component.name] = path

    # The citizen finds the procedure without typing diacritics, and submits.
    citizen_page = browser.new_page()
    sign_in(citizen_page, base, citizen.phone)
    citizen_page.goto(f"{base}/thu-tuc/?q=dang+ky+khai+sinh")
    citizen_page.get_by_role("link", name="Đăng ký khai sinh").first.click()
    citizen_page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    citizen_page.get_by_label("Cơ quan tiếp nhận hồ sơ").select_option(commune_a.code)
    citizen_page.get_by_label("Họ tên trẻ").fill("Nguyễn Văn Bé")
    citizen_page.get_by_label("Ngày sinh").fill("2026-03-01")
    for name, path in scans.items():
        citizen_page.get_by_label(name).set_input_files(str(path))
    citizen_page.get_by_role("button", name="Nộp hồ sơ").click()

    dossier = Dossier.objects.get(applicant=citizen)
    assert dossier.status == Status.NEW
    assert dossier.files.count() == len(scans)
    citizen_page.get_by_text(dossier.code).first.wait_for()

    # The counter officer of commune A finds it in the queue and receives it.
    officer_page = browser.new_context().new_page()
    sign_in(officer_page, base, counter_a.email)
    officer_page.goto(f"{base}/office/")
    officer_page.get_by_role("link", name=dossier.code).click()
    officer_page.locator("#action-receive summary").click()
    officer_page.locator("#action-receive button[type=submit]").click()
    officer_page.get_by_text("Đã tiếp nhận").first.wait_for()

    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert dossier.received_by == counter_a
    assert dossier.due_at is not None

    # The citizen sees the new status and the appointment date on their page.
    citizen_page.reload()
    citizen_page.get_by_text("Đã tiếp nhận").first.wait_for()
