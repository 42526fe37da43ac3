"""Printable forms 01-07: each where it applies, with the key facts of the dossier."""

import pytest
from django.urls import reverse

from digigov.dossiers import services
from digigov.orgs.models import AdministrativeUnit
from tests.conftest import vn

from .conftest import signed_in, submit_and_receive

HEADER = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "UBND XÃ A",
          "UBND TỈNH LẠNG SƠN")


@pytest.fixture(autouse=True)
def commune_area(commune_a, province):
    """Commune A lies in the commune of Nà Pàn: its letters are dated from there."""
    province.area = AdministrativeUnit.objects.create(code="20", name="Lạng Sơn",
                                                      kind=AdministrativeUnit.Kind.PROVINCE)
    province.save()
    commune_a.area = AdministrativeUnit.objects.create(code="06010", name="Nà Pàn",
                                                       kind=AdministrativeUnit.Kind.COMMUNE,
                                                       parent=province.area)
    commune_a.save()


def form(client, user, dossier, number):
    return signed_in(client, user).get(reverse("office:print", args=[dossier.uuid, number]))


def assert_shows(response, *facts):
    assert response.status_code == 200
    html = response.content.decode()
    for fact in (*HEADER, *facts):
        assert str(fact) in html, fact
    assert "@page" not in html  # print rules live in the stylesheet
    assert "dossiers/print.css" in html


def test_01_receipt_and_appointment(client, received, counter_a):
    assert_shows(form(client, counter_a, received, "01"),
                 "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", received.code, "Nguyễn Văn A",
                 "020190001234", "Đăng ký khai sinh", "Tờ khai đăng ký khai sinh",
                 "Giấy chứng sinh", "09 giờ 00 phút, ngày 02/03/2026",
                 "09 giờ 00 phút, ngày 05/03/2026", "4.000", "motcua.a",
                 "Nà Pàn, ngày 02 tháng 3 năm 2026", "NGƯỜI TIẾP NHẬN HỒ SƠ")


def test_02_supplement_request(client, received, counter_a):
    services.request_supplement(official=counter_a, dossier=received, reason="Bản chụp bị mờ",
                                items=["Giấy chứng sinh bản chính", "Văn bản ủy quyền"],
                                now=vn(2026, 3, 3, 14, 0))
    assert_shows(form(client, counter_a, received, "02"),
                 "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", received.code, "Nguyễn Văn A",
                 "Giấy chứng sinh bản chính", "Văn bản ủy quyền", "Bản chụp bị mờ",
                 "Nà Pàn, ngày 03 tháng 3 năm 2026", "motcua.a")


def test_place_falls_back_to_the_parent_agencys_area(client, received, commune_a, counter_a):
    commune_a.area = None
    commune_a.save()
    assert "Lạng Sơn, ngày 02 tháng 3 năm 2026" in form(client, counter_a, received,
                                                       "01").content.decode()


def test_03_refusal_only_for_a_refused_dossier(client, new_dossier, counter_a):
    assert form(client, counter_a, new_dossier, "03").status_code == 404
    services.refuse(officer=counter_a, dossier=new_dossier, reason="Thuộc thẩm quyền cấp tỉnh",
                    now=vn(2026, 3, 2, 9, 30))
    assert_shows(form(client, counter_a, new_dossier, "03"),
                 "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", new_dossier.code, "Nguyễn Văn A",
                 "Thuộc thẩm quyền cấp tỉnh", "09 giờ 00 phút, ngày 02/03/2026", "motcua.a")


def test_04_apology_and_new_appointment(client, received, specialist_a, counter_a):
    assert form(client, counter_a, received, "04").status_code == 404
    services.apologise(official=counter_a, dossier=received, reason="Chờ xác minh nơi sinh",
                       new_due_at=vn(2026, 3, 10, 15, 30), now=vn(2026, 3, 4, 8, 0))
    assert_shows(form(client, specialist_a, received, "04"),
                 "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", received.code, "Nguyễn Văn A",
                 "Chờ xác minh nơi sinh", "09 giờ 00 phút, ngày 05/03/2026",
                 "15 giờ 30 phút, ngày 10/03/2026", "Nà Pàn, ngày 04 tháng 3 năm 2026", "motcua.a")


def test_05_stop_notice_only_when_stopped(client, received, counter_a, leader_a):
    assert form(client, counter_a, received, "05").status_code == 404
    services.stop_processing(official=leader_a, dossier=received,
                             reason="Người nộp không bổ sung hồ sơ", now=vn(2026, 3, 4, 10, 0))
    assert_shows(form(client, counter_a, received, "05"),
                 "Về việc dừng xử lý hồ sơ", received.code, "Nguyễn Văn A",
                 "Người nộp không bổ sung hồ sơ", "10 giờ 00 phút, ngày 04/03/2026", "lanhdao.a")


def test_06_control_sheet_one_row_per_step(client, clock, counter_a, specialist_a, leader_a,
                                           procedure, citizen, commune_a):
    d = submit_and_receive(procedure, citizen, commune_a, counter_a, at=vn(2026, 2, 23, 9, 0))
    d = services.hand_over(official=counter_a, dossier=d, to_user=specialist_a,
                           now=vn(2026, 2, 23, 11, 0))
    d = services.hand_over(official=specialist_a, dossier=d, to_user=leader_a,
                           now=vn(2026, 2, 26, 10, 0))  # 12 h allotted, 15 h used
    d = services.complete(official=leader_a, dossier=d, result_summary="Cấp giấy",
                          now=vn(2026, 2, 26, 11, 0))
    d = services.return_result(officer=counter_a, dossier=d, now=vn(2026, 2, 26, 14, 0))
    clock.at = vn(2026, 2, 27, 8, 0)
    response = form(client, counter_a, d, "06")
    # Decree 30 pads day and month below 3 with a zero: "ngày 27 tháng 02".
    assert_shows(response, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", d.code,
                 "Nà Pàn, ngày 27 tháng 02 năm 2026",
                 "11 giờ 00 phút, ngày 23/02/2026", "10 giờ 00 phút, ngày 26/02/2026",
                 "14 giờ 00 phút, ngày 26/02/2026", "Thẩm định hồ sơ", "Phê duyệt",
                 "chuyenvien.a", "lanhdao.a", "Đúng hạn", "Quá hạn")
    body = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    assert body.count("<tr>") == 4  # three steps and the return of the result


def test_07_tracking_register_by_date_range(client, procedure, citizen, commune_a, counter_a,
                                            other_citizen, commune_b, counter_b):
    march = submit_and_receive(procedure, citizen, commune_a, counter_a)
    february = submit_and_receive(procedure, citizen, commune_a, counter_a,
                                  at=vn(2026, 2, 23, 9, 0))
    other = submit_and_receive(procedure, other_citizen, commune_b, counter_b)
    url = reverse("office:register")
    client = signed_in(client, counter_a)

    default = client.get(url)  # this month so far
    assert_shows(default, "SỔ THEO DÕI HỒ SƠ", march.code, "Nguyễn Văn A",
                 "Từ ngày 01/03/2026 đến ngày 02/03/2026")
    html = default.content.decode()
    assert february.code not in html and other.code not in html

    html = client.get(url, {"agency": str(commune_a.uuid), "date_from": "2026-02-01",
                            "date_to": "2026-02-28"}).content.decode()
    assert february.code in html and march.code not in html

    response = client.get(url, {"agency": str(commune_a.uuid), "date_from": "2026-03-02",
                                "date_to": "2026-03-01"})
    assert response.status_code == 400
    assert "phải sau hoặc bằng" in response.content.decode()


@pytest.mark.parametrize("number", ["01", "06"])
def test_citizens_cannot_print_office_forms(client, received, citizen, number):
    assert form(client, citizen, received, number).status_code == 403
