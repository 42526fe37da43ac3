"""Forms 01-07 as PDF: each where it applies, with the dossier's key facts."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from digigov.core.errors import NotFound
from digigov.dossiers import services
from digigov.dossiers.selectors import tracking_register
from digigov.pdfs.documents import render_form, render_form_document, render_register

from .conftest import MONDAY_9, one_line, pdf_text

HEADER = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
          "UBND TỈNH LẠNG SƠN", "UBND XÃ A")


def text_of(dossier, number) -> str:
    return one_line(pdf_text(render_form(dossier, number)))


def assert_has(text, *facts):
    for fact in (*HEADER, *facts):
        assert str(fact) in text, fact


def test_form_01_receipt_and_appointment(received, counter_a):
    text = text_of(received, "01")
    assert_has(text, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", received.code, "Nguyễn Văn A",
               "020190001234", "Đăng ký khai sinh", "Tờ khai đăng ký khai sinh",
               "Giấy chứng sinh", "09 giờ 00 phút, ngày 02/03/2026",
               "09 giờ 00 phút, ngày 05/03/2026", "4.000 đồng",
               "Lạng Sơn, ngày 02 tháng 3 năm 2026", "NGƯỜI NỘP HỒ SƠ",
               "NGƯỜI TIẾP NHẬN HỒ SƠ", counter_a.full_name, "(Ký, ghi rõ họ tên)")


def test_form_02_supplement_request(received, counter_a, specialist_a):
    services.hand_over(official=counter_a, dossier=received, to_user=specialist_a, now=MONDAY_9)
    services.request_supplement(official=specialist_a, dossier=received,
                                reason="Giấy chứng sinh bị mờ", items=["Giấy chứng sinh bản rõ"],
                                now=MONDAY_9 + dt.timedelta(hours=1))
    text = text_of(received, "02")
    assert_has(text, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", received.code,
               "Kính gửi: Nguyễn Văn A", "Giấy chứng sinh bản rõ", "Giấy chứng sinh bị mờ",
               specialist_a.full_name)


def test_form_03_refusal(new_dossier, counter_a):
    refused = services.refuse(officer=counter_a, dossier=new_dossier,
                              reason="Thủ tục không thuộc thẩm quyền của xã", now=MONDAY_9)
    text = text_of(refused, "03")
    assert_has(text, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", new_dossier.code,
               "Thủ tục không thuộc thẩm quyền của xã", counter_a.full_name)


def test_form_04_apology_with_the_new_date(at_specialist, specialist_a):
    services.apologise(official=specialist_a, dossier=at_specialist,
                       reason="Cần xác minh nơi sinh", new_due_at=dt.datetime(
                           2026, 3, 9, 16, 0, tzinfo=MONDAY_9.tzinfo), now=MONDAY_9)
    text = text_of(at_specialist, "04")
    assert_has(text, "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", at_specialist.code,
               "Cần xác minh nơi sinh", "09 giờ 00 phút, ngày 05/03/2026",
               "16 giờ 00 phút, ngày 09/03/2026")


def test_form_05_stop_notice(at_leader, leader_a):
    stopped = services.stop_processing(official=leader_a, dossier=at_leader,
                                       reason="Người nộp đề nghị dừng để bổ sung giấy tờ gốc",
                                       now=MONDAY_9)
    text = text_of(stopped, "05")
    assert_has(text, "THÔNG BÁO", "Về việc dừng xử lý hồ sơ", at_leader.code,
               "Người nộp đề nghị dừng để bổ sung giấy tờ gốc", "Nơi nhận:", leader_a.full_name)


def test_form_06_control_sheet_has_one_row_per_handover(processed, counter_a, specialist_a,
                                                      leader_a):
    text = text_of(processed, "06")
    assert_has(text, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", processed.code,
               "Tiếp nhận hồ sơ", "Thẩm định hồ sơ", "Phê duyệt", counter_a.full_name,
               specialist_a.full_name, leader_a.full_name)


def test_form_07_register_lists_the_dossiers_in_landscape(received, counter_a, commune_a):
    rows = tracking_register(counter_a, commune_a, date_from=dt.date(2026, 3, 1),
                             date_to=dt.date(2026, 3, 31))
    data = render_register(commune_a, rows, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    text = one_line(pdf_text(data))
    assert_has(text, "SỔ THEO DÕI HỒ SƠ", "Từ ngày 01/03/2026 đến ngày 31/03/2026",
               received.code, "Nguyễn Văn A")
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)


def test_a_form_that_does_not_apply_is_refused(received):
    with pytest.raises(NotFound):
        render_form(received, "03")  # not refused
    with pytest.raises(NotFound):
        render_form(received, "09")


def test_the_rendered_document_tells_its_template_and_signature_area(received):
    document = render_form_document(received, "01")
    assert document.boxes is not None and document.template_code == "form_01"
    assert document.context["dossier"]["code"] == received.code
