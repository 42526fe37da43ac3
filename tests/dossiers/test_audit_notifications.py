"""Audit trail, applicant notifications and who may see which dossier."""

from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from digigov.audit.models import AuditEvent
from digigov.core.errors import InvalidInput
from digigov.dossiers import notifications, services
from digigov.dossiers.models import Notification
from digigov.dossiers.permissions import can_view, visible_dossiers
from tests.conftest import vn

from .support import RECEIVED, refused, submit


# -- audit ----------
def test_each_transition_appends_exactly_one_event(new_dossier, counter_a, specialist_a):
    def count():
        return AuditEvent.objects.filter(object_id=new_dossier.code).count()

    assert count() == 1
    d = services.receive(officer=counter_a, dossier=new_dossier, now=RECEIVED)
    assert count() == 2
    services.hand_over(official=counter_a, dossier=d, to_user=specialist_a)
    assert count() == 3
    last = AuditEvent.objects.filter(object_id=d.code).last()
    assert (last.actor, last.action, last.from_state, last.to_state) == (
        counter_a, "hand_over", "2", "4")
    assert last.object_type == "dossiers.dossier" and last.data["step"] == "Thẩm định hồ sơ"


def test_audit_events_cannot_be_changed_or_deleted(new_dossier):
    event = AuditEvent.objects.get(object_id=new_dossier.code)
    event.action = "forged"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "submit"


# -- notifications ----------
def test_each_transition_mails_the_applicant(procedure, citizen, commune_a, counter_a,
                                             specialist_a, leader_a, mailoutbox,
                                             django_capture_on_commit_callbacks):
    steps = [
        lambda d: d,
        lambda d: services.receive(officer=counter_a, dossier=d, now=RECEIVED),
        lambda d: services.hand_over(official=counter_a, dossier=d, to_user=specialist_a),
        lambda d: services.hand_over(official=specialist_a, dossier=d, to_user=leader_a),
        lambda d: services.complete(official=leader_a, dossier=d, result_summary="Cấp",
                                    now=vn(2026, 3, 3, 9)),
        lambda d: services.return_result(officer=counter_a, dossier=d, now=vn(2026, 3, 3, 10)),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        d = submit(procedure, citizen, commune_a)
    for n, step in enumerate(steps, start=1):
        if n > 1:
            with django_capture_on_commit_callbacks(execute=True):
                d = step(d)
        assert len(mailoutbox) == n
        assert mailoutbox[-1].to == ["nguyenvana@example.vn"]
        assert d.code in mailoutbox[-1].subject
    assert "đã được tiếp nhận" in mailoutbox[1].subject
    assert "10:00 05/03/2026" in mailoutbox[1].body  # the appointment, in Vietnam time
    assert all(n.sent_at and not n.error for n in Notification.objects.all())


def test_a_refusal_sends_nothing(received, counter_a, mailoutbox,
                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        refused(InvalidInput, services.request_supplement,
                official=counter_a, dossier=received, reason="", items=["x"])
    assert mailoutbox == []


def test_notification_uses_the_applicants_language(procedure, citizen, commune_a):
    citizen.language = "en"
    citizen.save()
    seen = []
    real = notifications._subject

    def spy(dossier, action):
        seen.append(translation.get_language())
        return real(dossier, action)

    with mock.patch.object(notifications, "_subject", spy):
        d = submit(procedure, citizen, commune_a)
    assert d.language == "en" and seen == ["en"]
    assert d.notifications.get().language == "en"
    assert translation.get_language() == "vi"  # the override does not leak


def test_unsupported_language_falls_back_to_vietnamese(received, counter_a):
    received.language = "fr"
    note = notifications.notify_applicant(received, "receive")
    assert note.language == "vi"


def test_no_email_no_notification(received):
    received.applicant_email = ""
    assert notifications.notify_applicant(received, "receive") is None


def test_mail_failure_is_recorded_and_keeps_the_change(new_dossier, counter_a,
                                                       django_capture_on_commit_callbacks):
    with mock.patch.object(notifications, "send_mail", side_effect=OSError("SMTP down")), \
            django_capture_on_commit_callbacks(execute=True):
        d = services.receive(officer=counter_a, dossier=new_dossier, now=RECEIVED)
    note = d.notifications.last()
    assert note.sent_at is None and "SMTP down" in note.error
    d.refresh_from_db()
    assert d.status == 2


# -- who sees what ----------
def test_visibility_is_scoped_to_units_and_applicants(new_dossier, counter_a, counter_b, citizen,
                                                      other_citizen):
    assert can_view(counter_a, new_dossier) and can_view(citizen, new_dossier)
    assert not can_view(counter_b, new_dossier)
    assert not can_view(other_citizen, new_dossier)
    assert list(visible_dossiers(counter_b)) == []


def test_the_message_names_the_dossier_its_state_and_where_to_follow_it(received, counter_a,
                                                                     settings):
    settings.PUBLIC_BASE_URL = "https://dichvucong.example.vn"
    received.applicant_name = "Trần Thị B & con"
    note = notifications.notify_applicant(received, "receive")
    due = timezone.localtime(received.effective_due_at, ZoneInfo("Asia/Ho_Chi_Minh"))
    assert note.body == (
        "Kính gửi Trần Thị B & con,\n\n"
        f"Hồ sơ {received.code} ({received.procedure.name})\n"
        "Trạng thái: Đã tiếp nhận\n"
        f"Ngày hẹn trả kết quả: {due:%H:%M %d/%m/%Y}\n\n"
        f"Tra cứu hồ sơ: https://dichvucong.example.vn/tra-cuu/?code={received.code}\n\n"
        f"{received.agency.name}\n"
    )
    received.language = "en"
    received.closing_reason = "Thiếu giấy tờ"
    english = notifications.notify_applicant(received, "receive").body
    assert english.startswith("Dear Trần Thị B & con,")
    assert "Reason: Thiếu giấy tờ" in english
