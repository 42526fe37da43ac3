"""'Hồ sơ của tôi': scoping, the dossier page, and the applicant's actions through it."""

from django.urls import reverse

from digigov.audit.models import AuditEvent
from digigov.dossiers import services
from digigov.dossiers.models import Rating, Status
from tests.conftest import pdf, vn


def dossier_url(dossier, name="portal:dossier"):
    return reverse(name, args=[dossier.uuid])


def test_list_shows_only_own_dossiers(client, dossier, other_citizen):
    client.force_login(dossier.applicant)
    html = client.get(reverse("portal:my_dossiers")).content.decode()
    assert dossier.code in html and dossier_url(dossier) in html
    client.force_login(other_citizen)
    html = client.get(reverse("portal:my_dossiers")).content.decode()
    assert dossier.code not in html
    assert "Bạn chưa nộp hồ sơ nào." in html


def test_another_citizen_gets_404_everywhere(client, dossier, other_citizen):
    client.force_login(other_citizen)
    stored = dossier.files.first()
    assert client.get(dossier_url(dossier)).status_code == 404
    assert client.get(reverse("portal:dossier_file", args=[dossier.uuid, stored.uuid])
                      ).status_code == 404
    assert client.post(dossier_url(dossier, "portal:withdraw"),
                       {"reason": "Không cần nữa"}).status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.NEW


def test_anonymous_visitor_must_log_in_to_see_a_dossier(client, dossier):
    response = client.get(dossier_url(dossier))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_dossier_page_shows_status_due_date_timeline_steps_and_files(client, received):
    client.force_login(received.applicant)
    html = client.get(dossier_url(received)).content.decode()
    assert "Đã tiếp nhận" in html
    assert "10:00 05/03/2026" in html  # due date, in Vietnam time
    assert "Nộp hồ sơ" in html and "Tiếp nhận hồ sơ" in html  # timeline from audit events
    assert AuditEvent.objects.filter(object_id=received.code).count() == 2
    assert "Phiếu kiểm soát quá trình giải quyết" in html
    stored = received.files.get(original_name="c1.pdf")
    download = reverse("portal:dossier_file", args=[received.uuid, stored.uuid])
    assert download in html
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "c1.pdf" in response["Content-Disposition"]


def test_applicant_supplies_the_requested_papers_through_the_page(client, received, counter_a):
    services.request_supplement(official=counter_a, dossier=received,
                                reason="Giấy chứng sinh bị mờ", items=["Giấy chứng sinh"],
                                now=vn(2026, 3, 2, 11, 0))
    client.force_login(received.applicant)
    html = client.get(dossier_url(received)).content.decode()
    assert "Giấy chứng sinh bị mờ" in html and "Gửi bổ sung" in html

    # No file at all: refused, nothing changes.
    response = client.post(dossier_url(received, "portal:supply_supplement"), {})
    assert response.status_code == 400
    assert "Hãy đính kèm giấy tờ bổ sung." in response.content.decode()
    received.refresh_from_db()
    assert received.status == Status.SUPPLEMENT_REQUESTED

    component = received.procedure_version.components.get(name="Giấy chứng sinh")
    response = client.post(dossier_url(received, "portal:supply_supplement"),
                           {f"component_{component.pk}": pdf("chung-sinh-ro.pdf")})
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.status == Status.RECEIVED
    assert received.supplements.get().supplied_at is not None
    assert received.files.get(original_name="chung-sinh-ro.pdf").is_supplement


def test_withdraw_needs_a_reason_then_closes_the_dossier(client, dossier):
    client.force_login(dossier.applicant)
    response = client.post(dossier_url(dossier, "portal:withdraw"), {"reason": ""})
    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.NEW

    response = client.post(dossier_url(dossier, "portal:withdraw"),
                           {"reason": "Đã nộp nhầm thủ tục"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN
    assert dossier.closing_reason == "Đã nộp nhầm thủ tục"
    html = client.get(dossier_url(dossier)).content.decode()
    assert "Đã nộp nhầm thủ tục" in html
    assert dossier_url(dossier, "portal:withdraw") not in html  # nothing left to withdraw

    # A second withdrawal is refused with a message, not a crash.
    response = client.post(dossier_url(dossier, "portal:withdraw"), {"reason": "Lần nữa"},
                           follow=True)
    assert "Không thể rút hồ sơ" in response.content.decode()


def _finish(dossier, counter, specialist, leader):
    d = services.hand_over(official=counter, dossier=dossier, to_user=specialist,
                           now=vn(2026, 3, 2, 11, 0))
    d = services.hand_over(official=specialist, dossier=d, to_user=leader,
                           now=vn(2026, 3, 3, 11, 0))
    d = services.complete(official=leader, dossier=d, result_summary="Cấp giấy khai sinh",
                          now=vn(2026, 3, 4, 9, 0))
    return services.return_result(officer=counter, dossier=d, now=vn(2026, 3, 4, 10, 0))


def scores(value=2):
    return {key: str(value) for key, _label in Rating.INDICATORS}


def test_rating_is_offered_after_the_result_and_kept_once(client, received, counter_a,
                                                          specialist_a, leader_a):
    client.force_login(received.applicant)
    assert dossier_url(received, "portal:rate") not in client.get(dossier_url(received)
                                                                  ).content.decode()
    client.post(dossier_url(received, "portal:rate"), scores())
    assert not Rating.objects.exists()  # no rating before the result

    _finish(received, counter_a, specialist_a, leader_a)
    html = client.get(dossier_url(received)).content.decode()
    assert "Cấp giấy khai sinh" in html and dossier_url(received, "portal:rate") in html

    incomplete = scores()
    del incomplete["attitude"]
    response = client.post(dossier_url(received, "portal:rate"), incomplete)
    assert response.status_code == 400
    assert 'id="id_attitude_error"' in response.content.decode()
    assert not Rating.objects.exists()

    data = {**scores(2), "attitude": "0", "contacts": "1", "comment": "Cán bộ chưa nhiệt tình"}
    response = client.post(dossier_url(received, "portal:rate"), data)
    assert response.status_code == 302
    rating = Rating.objects.get(dossier=received)
    assert rating.scores["attitude"] == 0 and rating.scores["contacts"] == 1
    assert rating.total == 15 and rating.comment == "Cán bộ chưa nhiệt tình"
    html = client.get(dossier_url(received)).content.decode()
    assert "Đánh giá của bạn" in html and dossier_url(received, "portal:rate") not in html
    client.post(dossier_url(received, "portal:rate"), scores(0))
    assert Rating.objects.get().total == 15
