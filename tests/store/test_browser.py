"""A citizen reuses a stored paper with one click, in a real Chromium (skips without one)."""

import pytest

from digigov.dossiers.models import Dossier
from digigov.store.models import PaperUse
from tests.browser.test_submit_and_receive import CHROMIUM, browser, sign_in  # noqa: F401
from tests.conftest import PDF_BYTES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (apt-get install chromium)"),
]


@pytest.mark.django_db(transaction=True)
def test_citizen_reuses_a_stored_paper(live_server, browser, tmp_path, procedure,  # noqa: F811
                                       commune_a, citizen, reusable_component, paper):
    declaration = procedure.version_on().components.get(order=1)
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(PDF_BYTES)

    page = browser.new_page()
    sign_in(page, live_server.url, citizen.phone)
    page.goto(f"{live_server.url}/thu-tuc/{procedure.national_code}/nop-ho-so/")
    page.get_by_label("Cơ quan tiếp nhận hồ sơ").select_option(commune_a.code)
    page.get_by_label("Họ tên trẻ").fill("Nguyễn Văn Bé")
    page.get_by_label("Ngày sinh").fill("2026-03-01")
    page.get_by_label(declaration.name, exact=True).set_input_files(str(scan))
    # One click: the stored birth attestation instead of an upload.
    page.get_by_label("CS-0042").check()
    page.get_by_role("button", name="Nộp hồ sơ").click()

    dossier = Dossier.objects.get(applicant=citizen)
    page.get_by_text(dossier.code).first.wait_for()
    linked = dossier.files.get(component=reusable_component)
    assert linked.is_reused and linked.file.name == paper.file.name
    assert PaperUse.objects.get().dossier == dossier

    # The usage log shows which agency used the paper for which dossier.
    page.goto(f"{live_server.url}/kho-du-lieu/nhat-ky-su-dung/")
    row = page.get_by_role("row").filter(has_text=dossier.code)
    assert commune_a.name in row.inner_text() and paper.title in row.inner_text()
