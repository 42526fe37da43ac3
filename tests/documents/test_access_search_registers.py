"""Visibility by unit and secrecy, search, registers."""

import datetime as dt

import pytest

from digigov.documents import selectors, services
from digigov.documents.permissions import visible_incoming, visible_outgoing
from tests.signing.sample_pdf import one_page_pdf

from .conftest import clear, draft, issued
from .test_incoming import paper

pytestmark = pytest.mark.django_db


def test_outgoing_visible_to_the_agency_not_to_others(specialist_a, counter_b, commune_a,
                                                      citizen):
    document = draft(specialist_a, commune_a)
    assert list(visible_outgoing(specialist_a)) == [document]
    assert not visible_outgoing(counter_b).exists()
    assert not visible_outgoing(citizen).exists()


def test_secret_outgoing_needs_clearance_even_for_colleagues(specialist_a, leader_a,
                                                             commune_a):
    clear(specialist_a, commune_a, "toi_mat")
    secret = draft(specialist_a, commune_a, secrecy="toi_mat")
    plain = draft(specialist_a, commune_a)
    assert set(visible_outgoing(specialist_a)) == {secret, plain}
    assert list(visible_outgoing(leader_a)) == [plain]
    clear(leader_a, commune_a, "mat")  # a lower level is not enough
    assert list(visible_outgoing(leader_a)) == [plain]


def test_incoming_visible_by_role_and_assignment(clerk_a, leader_a, specialist_a,
                                                 office_specialist, office_a, commune_a):
    document = paper(clerk_a, commune_a)
    assert list(visible_incoming(clerk_a)) == [document]
    assert list(visible_incoming(leader_a)) == [document]
    assert not visible_incoming(specialist_a).exists()  # not assigned yet
    services.assign(document, actor=leader_a, targets=[{"unit": office_a}])
    assert list(visible_incoming(office_specialist)) == [document]
    assert not visible_incoming(specialist_a).exists()


def test_search_is_diacritic_insensitive_and_covers_attachments(clerk_a, specialist_a,
                                                                leader_a, commune_a):
    clear(leader_a, commune_a, "mat")
    draft(specialist_a, commune_a, subject="Kế hoạch phòng chống lụt bão",
          type_code="ke_hoach")
    paper(clerk_a, commune_a, subject="Công văn về đất đai",
          scan=("s.pdf", "application/pdf", one_page_pdf("Bien ban kiem tra cau Khanh Khe")))
    total, hits = selectors.search(leader_a, selectors.Filters(q="LUT BAO"))
    assert total == 1 and hits[0].direction == "out"
    total, hits = selectors.search(leader_a, selectors.Filters(q="đất đai"))
    assert total == 1 and hits[0].direction == "in"
    total, _hits = selectors.search(leader_a, selectors.Filters(q="khánh khê"))  # scan text
    assert total == 1
    assert selectors.search(leader_a, selectors.Filters(direction="out"))[0] == 1
    assert selectors.search(leader_a, selectors.Filters(type_code="KH"))[0] == 1
    assert selectors.search(leader_a, selectors.Filters(issuer="Sở Tư pháp"))[0] == 1
    today = services._today()
    assert selectors.search(leader_a, selectors.Filters(
        date_from=today + dt.timedelta(days=1)))[0] == 0
    assert selectors.search(leader_a, selectors.Filters(status="registered"))[0] == 1
    secret = draft(leader_a, commune_a, subject="Phương án bảo vệ bí mật lụt bão",
                   secrecy="mat")
    assert secret not in {h.document for h in selectors.search(
        specialist_a, selectors.Filters(q="lut bao"))[1]}


def test_outgoing_register_has_the_ten_columns(certificates, specialist_a, leader_a, clerk_a,
                                               commune_a, commune_b):
    document = issued(specialist_a, leader_a, clerk_a, commune_a, copies=3,
                      recipients=[{"kind": "external", "organ_code": "000.02.37.H37",
                                   "name": "UBND xã B"}])
    rows = selectors.outgoing_register(commune_a, document.year)
    assert len(selectors.OUTGOING_COLUMNS) == 10
    assert rows == [["01/UBND-VP", document.issued_on.strftime("%d/%m/%Y"),
                     "Công văn: Đôn đốc nộp báo cáo tháng", leader_a.full_name, "UBND xã B",
                     "VP", "3", document.issued_at.astimezone(services.VN).strftime("%d/%m/%Y"),
                     "", ""]]
    pdf = selectors.register_pdf(commune_a, document.year, direction="out")
    text = services.file_text.pdf_text(pdf)
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in text and "01/UBND-VP" in text


def test_incoming_register_has_the_ten_columns(clerk_a, leader_a, specialist_a, commune_a):
    document = paper(clerk_a, commune_a)
    services.assign(document, actor=leader_a, targets=[{"person": specialist_a}])
    rows = selectors.incoming_register(commune_a, document.year)
    assert len(rows[0]) == len(selectors.INCOMING_COLUMNS) == 10
    assert rows[0][1:7] == ["1", "Sở Tư pháp", "120/STP-HCTP", "01/03/2026",
                            "Công văn: Hướng dẫn đăng ký hộ tịch",
                            f"{specialist_a.full_name} (Chủ trì)"]
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in services.file_text.pdf_text(
        selectors.register_pdf(commune_a, document.year, direction="in"))
    assert selectors.incoming_register(commune_a, document.year, secret=True) == []
