"""Every action of the detail page: the happy path, and a refusal that changes nothing."""

import pytest
from django.urls import reverse

from digigov.dossiers import services
from digigov.dossiers.models import Channel, Dossier, Status
from tests.conftest import FORM, component_files, pdf, vn

from .conftest import MONDAY_9, post_action, signed_in, snapshot


def detail(dossier):
    return reverse("office:detail", args=[dossier.uuid])


def assert_done(response, dossier, status, message):
    assert response.status_code == 302 and response.url == detail(dossier)
    dossier.refresh_from_db()
    assert dossier.status == status


def assert_refused(response, dossier, before, message, code=None):
    """The error is on the page, in words, and the dossier is exactly as it was."""
    if code is not None:
        assert response.status_code == code
    assert response.status_code >= 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert message in html
    assert snapshot(dossier) == before


def test_detail_shows_everything(client, at_specialist, counter_a, specialist_a):
    html = signed_in(client, specialist_a).get(detail(at_specialist)).content.decode()
    d = at_specialist
    for fact in (d.code, "Nguyễn Văn A", "020190001234", "Đăng ký khai sinh", "Nguyễn Văn Bé",
                 "Họ tên trẻ", "01/03/2026", "Đang xử lý", "09:00 05/03/2026", "c1.pdf", "c2.pdf",
                 "Thẩm định hồ sơ", "chuyenvien.a", "motcua.a", "Tiếp nhận", "Đăng ký hồ sơ"):
        assert fact in html, fact
    for f in d.files.all():
        assert reverse("office:file", args=[d.uuid, f.uuid]) in html
    assert "/media/" not in html
    # The specialist may hand over, but reception belongs to the counter.
    assert 'id="action-hand_over"' in html
    assert 'id="action-receive"' not in html
    # No leader at commune A yet: the hand-over form says why no receiver is offered.
    assert "Chưa có cán bộ nào giữ vai trò “Lãnh đạo” tại UBND xã A" in html


def test_detail_offers_only_actions_of_the_users_role(client, new_dossier, counter_a,
                                                      specialist_a):
    html = signed_in(client, counter_a).get(detail(new_dossier)).content.decode()
    assert 'id="action-receive"' in html and 'id="action-refuse"' in html
    html = signed_in(client, specialist_a).get(detail(new_dossier)).content.decode()
    assert 'id="action-receive"' not in html and 'id="action-refuse"' not in html


# -- receive ---------------------------------------------------------------------------
def test_receive(client, new_dossier, counter_a):
    client = signed_in(client, counter_a)
    response = post_action(client, new_dossier, "receive")
    assert_done(response, new_dossier, Status.RECEIVED, "")
    assert new_dossier.due_at == vn(2026, 3, 5, 9, 0)
    page = client.get(response.url).content.decode()
    assert f"Đã tiếp nhận hồ sơ {new_dossier.code}." in page


def test_receive_refused_when_a_required_component_is_missing(client, procedure, commune_a,
                                                              counter_a):
    one_file = {k: v for k, v in list(component_files(procedure).items())[:1]}
    dossier = services.submit_at_counter(
        officer=counter_a, procedure=procedure, agency=commune_a,
        applicant={"name": "Lê Thị C", "id_number": "020190009999"}, form_data=FORM,
        files=one_file, channel=Channel.COUNTER, receive_now=False)
    before = snapshot(dossier)
    response = post_action(signed_in(client, counter_a), dossier, "receive")
    assert_refused(response, dossier, before, "Hồ sơ chưa đủ thành phần bắt buộc: Giấy chứng sinh",
                   409)


# -- refuse ----------------------------------------------------------------------------
def test_refuse(client, new_dossier, counter_a):
    response = post_action(signed_in(client, counter_a), new_dossier, "refuse",
                           reason="Hồ sơ thuộc thẩm quyền của Sở Tư pháp")
    assert_done(response, new_dossier, Status.NOT_RECEIVED, "")
    assert new_dossier.closing_reason == "Hồ sơ thuộc thẩm quyền của Sở Tư pháp"


def test_refuse_refused_once_received(client, received, counter_a):
    before = snapshot(received)
    response = post_action(signed_in(client, counter_a), received, "refuse", reason="Sai")
    assert_refused(response, received, before, "Không thể từ chối tiếp nhận", 409)


def test_refuse_needs_a_reason(client, new_dossier, counter_a):
    before = snapshot(new_dossier)
    response = post_action(signed_in(client, counter_a), new_dossier, "refuse", reason="  ")
    assert_refused(response, new_dossier, before, "thông tin nhập chưa hợp lệ", 400)
    assert 'aria-invalid="true"' in response.content.decode()


# -- request_supplement ------------------------------------------------------------------
def test_request_supplement(client, received, counter_a):
    response = post_action(signed_in(client, counter_a), received, "request_supplement",
                           reason="Giấy chứng sinh bị mờ",
                           items="Giấy chứng sinh bản chính\n\n  Bản sao căn cước của mẹ  \n")
    assert_done(response, received, Status.SUPPLEMENT_REQUESTED, "")
    assert received.supplements.get().items == ["Giấy chứng sinh bản chính",
                                                "Bản sao căn cước của mẹ"]


def test_request_supplement_refused_the_second_time(client, received, counter_a, citizen):
    dossier = services.request_supplement(official=counter_a, dossier=received, reason="Mờ",
                                          items=["Giấy chứng sinh"])
    dossier = services.supply_supplement(actor=citizen, dossier=dossier,
                                         files={str(dossier.files.first().component_id): pdf()})
    before = snapshot(dossier)
    response = post_action(signed_in(client, counter_a), dossier, "request_supplement",
                           reason="Còn thiếu", items="Sổ hộ khẩu")
    assert_refused(response, dossier, before, "không được yêu cầu bổ sung lần nữa", 409)


# -- supply_supplement (papers brought to the counter) ----------------------------------
@pytest.fixture
def waiting(received, counter_a):
    return services.request_supplement(official=counter_a, dossier=received, reason="Mờ",
                                       items=["Giấy chứng sinh bản chính"])


def test_supplement_supplied_at_the_counter(client, waiting, counter_a):
    component = waiting.procedure_version.components.get(name="Giấy chứng sinh")
    client = signed_in(client, counter_a)
    assert 'enctype="multipart/form-data"' in client.get(detail(waiting)).content.decode()
    response = post_action(client, waiting, "supply_supplement",
                           **{f"component_{component.pk}": pdf("giay-chung-sinh.pdf")})
    assert_done(response, waiting, Status.RECEIVED, "")
    supplied = waiting.files.get(is_supplement=True)
    assert supplied.component == component and supplied.uploaded_by == counter_a
    assert waiting.supplements.get().supplied_at is not None


def test_supplement_refused_without_a_file(client, waiting, counter_a):
    before = snapshot(waiting)
    response = post_action(signed_in(client, counter_a), waiting, "supply_supplement")
    assert_refused(response, waiting, before, "Hãy đính kèm giấy tờ bổ sung.", 422)


# -- hand_over -----------------------------------------------------------------------------
def test_hand_over_to_a_specialist(client, received, counter_a, specialist_a):
    client = signed_in(client, counter_a)
    html = client.get(detail(received)).content.decode()
    assert str(specialist_a.uuid) in html  # offered as a receiver
    response = post_action(client, received, "hand_over", to_user=str(specialist_a.uuid),
                           note="Đủ giấy tờ")
    assert_done(response, received, Status.PROCESSING, "")
    assert received.assignee == specialist_a
    assert received.step_records.count() == 2


def test_hand_over_refused_to_someone_not_holding_the_step(client, received, specialist_a,
                                                           leader_a):
    before = snapshot(received)
    # The dossier is at the counter step: a specialist may not pass it on.
    response = post_action(signed_in(client, specialist_a), received, "hand_over",
                           to_user=str(leader_a.uuid))
    assert_refused(response, received, before, "không giữ vai trò", 403)


def test_hand_over_rejects_a_receiver_outside_the_next_steps_role(client, received, counter_a,
                                                                  counter_b):
    before = snapshot(received)
    response = post_action(signed_in(client, counter_a), received, "hand_over",
                           to_user=str(counter_b.uuid))
    assert_refused(response, received, before, "thông tin nhập chưa hợp lệ", 400)


# -- financial obligations ------------------------------------------------------------------
def test_request_and_fulfil_financial_obligation(client, at_specialist, specialist_a):
    client = signed_in(client, specialist_a)
    response = post_action(client, at_specialist, "request_financial_obligation",
                           amount="150000", reason="Lệ phí cấp bản sao trích lục")
    assert_done(response, at_specialist, Status.FINANCIAL_OBLIGATION, "")
    assert at_specialist.obligations.get().amount == 150000
    html = client.get(detail(at_specialist)).content.decode()
    assert "150.000" in html
    response = post_action(client, at_specialist, "fulfil_financial_obligation",
                           reference="BL-2026-000123")
    assert_done(response, at_specialist, Status.PROCESSING, "")
    assert at_specialist.obligations.get().fulfilled_reference == "BL-2026-000123"


def test_request_financial_obligation_refused_to_an_official_off_the_step(client, at_specialist,
                                                                          counter_a):
    before = snapshot(at_specialist)
    response = post_action(signed_in(client, counter_a), at_specialist,
                           "request_financial_obligation", amount="1000", reason="Phí")
    assert_refused(response, at_specialist, before, "không giữ vai trò", 403)


def test_fulfil_refused_when_nothing_was_asked(client, at_specialist, specialist_a):
    before = snapshot(at_specialist)
    response = post_action(signed_in(client, specialist_a), at_specialist,
                           "fulfil_financial_obligation", reference="BL-1")
    assert_refused(response, at_specialist, before, "Không thể xác nhận nghĩa vụ tài chính", 409)


# -- complete and return ---------------------------------------------------------------------
def test_complete_at_the_last_step(client, at_leader, leader_a):
    response = post_action(signed_in(client, leader_a), at_leader, "complete",
                           result_summary="Cấp Giấy khai sinh bản chính")
    assert_done(response, at_leader, Status.PROCESSED, "")
    assert at_leader.result_summary == "Cấp Giấy khai sinh bản chính"


def test_complete_refused_before_the_last_step(client, at_specialist, specialist_a):
    before = snapshot(at_specialist)
    response = post_action(signed_in(client, specialist_a), at_specialist, "complete",
                           result_summary="Xong")
    assert_refused(response, at_specialist, before, "chưa qua hết các bước", 409)


def test_return_result(client, processed, counter_a):
    response = post_action(signed_in(client, counter_a), processed, "return_result")
    assert_done(response, processed, Status.RETURNED, "")
    assert processed.returned_at == MONDAY_9


def test_return_result_refused_while_processing(client, at_leader, counter_a):
    before = snapshot(at_leader)
    response = post_action(signed_in(client, counter_a), at_leader, "return_result")
    assert_refused(response, at_leader, before, "Không thể trả kết quả", 409)


# -- ending early -------------------------------------------------------------------------------
def test_withdraw_at_the_counter(client, at_specialist, counter_a):
    response = post_action(signed_in(client, counter_a), at_specialist, "withdraw",
                           reason="Người nộp đề nghị rút bằng văn bản")
    assert_done(response, at_specialist, Status.WITHDRAWN, "")


def test_withdraw_refused_once_closed(client, processed, counter_a):
    before = snapshot(processed)
    response = post_action(signed_in(client, counter_a), processed, "withdraw", reason="Rút")
    assert_refused(response, processed, before, "Không thể rút hồ sơ", 409)


def test_stop_processing_by_a_leader(client, received, counter_a, leader_a):
    dossier = services.request_supplement(official=counter_a, dossier=received, reason="Thiếu",
                                          items=["Giấy chứng sinh"])
    response = post_action(signed_in(client, leader_a), dossier, "stop_processing",
                           reason="Quá thời hạn mà người nộp không bổ sung")
    assert_done(response, dossier, Status.STOPPED, "")


def test_stop_processing_refused_to_a_non_leader(client, received, counter_a):
    before = snapshot(received)
    response = post_action(signed_in(client, counter_a), received, "stop_processing",
                           reason="Dừng")
    assert_refused(response, received, before, "Lãnh đạo", 403)


def test_apologise_with_a_new_due_date(client, received, counter_a):
    response = post_action(signed_in(client, counter_a), received, "apologise",
                           reason="Cần xác minh với xã nơi sinh", new_due_date="2026-03-10",
                           new_due_time="15:30")
    assert_done(response, received, Status.RECEIVED, "")
    assert received.apology_due_at == vn(2026, 3, 10, 15, 30)
    assert received.apologies.get().previous_due_at == vn(2026, 3, 5, 9, 0)


def test_apologise_refused_with_a_date_before_the_current_due_date(client, received, counter_a):
    before = snapshot(received)
    response = post_action(signed_in(client, counter_a), received, "apologise",
                           reason="Chậm", new_due_date="2026-03-04", new_due_time="10:00")
    assert_refused(response, received, before, "Ngày hẹn mới phải sau ngày hẹn hiện tại", 422)


def test_apologise_refused_after_the_deadline(client, clock, received, counter_a):
    clock.at = vn(2026, 3, 5, 9, 1)
    before = snapshot(received)
    response = post_action(signed_in(client, counter_a), received, "apologise",
                           reason="Chậm", new_due_date="2026-03-10", new_due_time="10:00")
    assert_refused(response, received, before, "phải được gửi trước thời hạn", 409)


# -- the action URL itself ------------------------------------------------------------------------
def test_unknown_action_is_404_and_get_is_refused(client, received, counter_a):
    client = signed_in(client, counter_a)
    assert client.post(reverse("office:action", args=[received.uuid, "delete"])).status_code == 404
    assert client.get(reverse("office:action", args=[received.uuid, "receive"])).status_code == 405


@pytest.mark.parametrize("action", ["receive", "refuse"])
def test_citizens_cannot_post_actions(client, new_dossier, citizen, action):
    before = snapshot(new_dossier)
    response = post_action(signed_in(client, citizen), new_dossier, action, reason="x")
    assert response.status_code == 403
    assert snapshot(new_dossier) == before
    assert Dossier.objects.get(pk=new_dossier.pk).status == Status.NEW
