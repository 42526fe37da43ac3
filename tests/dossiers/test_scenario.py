"""An online dossier from submission to rating, with a supplement over a weekend."""

from digigov.audit.models import AuditEvent
from digigov.dossiers import services
from digigov.dossiers.models import Status
from tests.conftest import FORM, component_files, pdf, vn

from .support import SCORES, reload

HOUR = 3600


def test_online_dossier_with_a_supplement_across_a_weekend(
        procedure, citizen, commune_a, counter_a, specialist_a, leader_a, mailoutbox,
        django_capture_on_commit_callbacks):
    def step(call, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(**kwargs)

    # Thursday 5 March 2026, 16:00: submitted online.
    d = step(services.submit_online, applicant=citizen, procedure=procedure, form_data=FORM,
             files=component_files(procedure), agency=commune_a, now=vn(2026, 3, 5, 16))
    assert d.code == "000.01.37.H37-260305-0001" and d.fee_amount == 4000

    # Friday 09:00: received. 3 working days = Fri 7 h + Mon 8 h + Tue 8 h + Wed 1 h.
    d = step(services.receive, officer=counter_a, dossier=d, now=vn(2026, 3, 6, 9))
    assert d.due_at == vn(2026, 3, 11, 9)
    assert d.step_records.get().due_at == vn(2026, 3, 6, 14)  # 4 h, lunch excluded

    # Friday 10:00: to the specialist, 12 working hours: Fri 6 h + Mon 6 h.
    d = step(services.hand_over, official=counter_a, dossier=d, to_user=specialist_a,
             now=vn(2026, 3, 6, 10))
    assert d.step_records.last().due_at == vn(2026, 3, 9, 15)

    # Friday 15:00: the specialist asks for a clearer birth certificate; the clock stops.
    d = step(services.request_supplement, official=specialist_a, dossier=d,
             reason="Giấy chứng sinh không đọc được", items=["Giấy chứng sinh (bản rõ)"],
             now=vn(2026, 3, 6, 15))
    assert (d.status, d.clock_paused_at) == (Status.SUPPLEMENT_REQUESTED, vn(2026, 3, 6, 15))

    # Monday 10:00: supplied. Paused Fri 15-17 + Mon 8-10 = 4 working hours; the weekend
    # is not working time, so both deadlines move by exactly 4 hours.
    birth_certificate = procedure.version_on().components.get(order=2)
    d = step(services.supply_supplement, actor=citizen, dossier=d,
             files={str(birth_certificate.pk): pdf("giay-chung-sinh-ro.pdf")},
             now=vn(2026, 3, 9, 10))
    d = reload(d)
    assert (d.status, d.paused_seconds, d.clock_paused_at) == (Status.PROCESSING, 4 * HOUR, None)
    assert d.due_at == vn(2026, 3, 11, 14)
    assert d.step_records.last().due_at == vn(2026, 3, 10, 10)

    # Tuesday 09:30: to the leader, 8 working hours.
    d = step(services.hand_over, official=specialist_a, dossier=d, to_user=leader_a,
             now=vn(2026, 3, 10, 9, 30))
    assert d.step_records.last().due_at == vn(2026, 3, 11, 9, 30)

    # Wednesday 09:00: approved, on the appointment day: on time, not early.
    d = step(services.complete, official=leader_a, dossier=d, result_summary="Cấp Giấy khai sinh",
             now=vn(2026, 3, 11, 9))
    assert (d.status, d.processed_at, d.timeliness) == (
        Status.PROCESSED, vn(2026, 3, 11, 9), "on_time")

    # Wednesday 10:00: result returned, then rated.
    d = step(services.return_result, officer=counter_a, dossier=d, now=vn(2026, 3, 11, 10))
    rating = step(services.rate, applicant=citizen, dossier=d, scores=SCORES, comment="Nhanh")
    assert rating.total == 14

    d = reload(d)
    assert (d.status, d.returned_at, d.closed_at) == (
        Status.RETURNED, vn(2026, 3, 11, 10), vn(2026, 3, 11, 10))
    sheet = list(d.step_records.values_list("name", "started_at", "finished_at", "timeliness"))
    assert sheet == [
        ("Tiếp nhận hồ sơ", vn(2026, 3, 6, 9), vn(2026, 3, 6, 10), "on_time"),
        ("Thẩm định hồ sơ", vn(2026, 3, 6, 10), vn(2026, 3, 10, 9, 30), "on_time"),
        ("Phê duyệt", vn(2026, 3, 10, 9, 30), vn(2026, 3, 11, 9), "on_time"),
    ]
    trail = list(AuditEvent.objects.filter(object_id=d.code)
                 .values_list("action", "from_state", "to_state"))
    assert trail == [
        ("submit", "", "1"), ("receive", "1", "2"), ("hand_over", "2", "4"),
        ("request_supplement", "4", "5"), ("supply_supplement", "5", "4"),
        ("hand_over", "4", "4"), ("complete", "4", "9"), ("return_result", "9", "10"),
        ("rate", "", ""),
    ]
    assert len(mailoutbox) == 8  # every change but the rating
    assert [f.is_supplement for f in d.files.order_by("uploaded_at", "pk")] == [
        False, False, True]
