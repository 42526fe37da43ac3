"""Messages to the applicant on each change, in the applicant's language."""

import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digigov.core.inserts import insert

from .models import Dossier, Notification

logger = logging.getLogger(__name__)

# Dates in messages are Vietnam's, whatever the server's zone or the reader's language.
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


# Translated when a message is written, in the applicant's language.
SUBJECTS = {
    "submit": gettext_lazy("Hồ sơ %(code)s đã được đăng ký"),
    "receive": gettext_lazy("Hồ sơ %(code)s đã được tiếp nhận"),
    "refuse": gettext_lazy("Hồ sơ %(code)s không được tiếp nhận"),
    "request_supplement": gettext_lazy("Hồ sơ %(code)s cần bổ sung giấy tờ"),
    "supply_supplement": gettext_lazy("Hồ sơ %(code)s đã được bổ sung"),
    "hand_over": gettext_lazy("Hồ sơ %(code)s đang được xử lý"),
    "request_financial_obligation": gettext_lazy(
        "Hồ sơ %(code)s: đề nghị thực hiện nghĩa vụ tài chính"),
    "fulfil_financial_obligation": gettext_lazy("Hồ sơ %(code)s: đã xác nhận nghĩa vụ tài chính"),
    "complete": gettext_lazy("Hồ sơ %(code)s đã có kết quả"),
    "return_result": gettext_lazy("Hồ sơ %(code)s đã trả kết quả"),
    "withdraw": gettext_lazy("Hồ sơ %(code)s đã được rút"),
    "stop": gettext_lazy("Hồ sơ %(code)s bị dừng xử lý"),
    "apologise": gettext_lazy("Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s"),
    "issue_result": gettext_lazy(
        "Kết quả điện tử của hồ sơ %(code)s đã được ký số và phát hành"),
}


def _subject(dossier: Dossier, action: str) -> str:
    subject = SUBJECTS.get(action) or _("Hồ sơ %(code)s có cập nhật")
    return str(subject) % {"code": dossier.code}


def _language(dossier: Dossier) -> str:
    """The applicant's language if the site offers it, else the site's own."""
    supported = {code for code, _name in settings.LANGUAGES}
    return dossier.language if dossier.language in supported else settings.LANGUAGE_CODE


def _body(dossier: Dossier) -> str:
    """The message: who it is for, the dossier, its state, and where to follow it.

    Composed here rather than with a template: it is written on every
    submission, and the template engine cost more than the rest of the message.
    """
    status, due_label, reason = _("Trạng thái"), _("Ngày hẹn trả kết quả"), _("Lý do")
    lines = [
        _("Kính gửi %(name)s,") % {"name": dossier.applicant_name},
        "",
        _("Hồ sơ %(code)s (%(procedure)s)") % {"code": dossier.code,
                                                "procedure": dossier.procedure.name},
        f"{status}: {dossier.get_status_display()}",
    ]
    if dossier.effective_due_at:
        due = timezone.localtime(dossier.effective_due_at, VIETNAM)
        lines.append(f"{due_label}: {due:%H:%M %d/%m/%Y}")
    if dossier.closing_reason:
        lines.append(f"{reason}: {dossier.closing_reason}")
    look_up = _("Tra cứu hồ sơ")
    lines += [
        "",
        f"{look_up}: {settings.PUBLIC_BASE_URL}/tra-cuu/?code={dossier.code}",
        "",
        dossier.agency.name,
        "",
    ]
    return "\n".join(lines)


def notify_applicant(dossier: Dossier, action: str) -> Notification | None:
    """Queue an email to the applicant; it is sent once the transaction commits."""
    if not dossier.applicant_email:
        return None
    language = _language(dossier)
    with translation.override(language):
        subject = _subject(dossier, action)
        body = _body(dossier)
    note = Notification(dossier=dossier, recipient=dossier.applicant_email, subject=subject,
                        body=body, language=language)
    insert(note)
    if settings.NOTIFICATION_DELIVERY == "immediate":
        transaction.on_commit(lambda: deliver(note))
    return note


def deliver(note: Notification) -> bool:
    """Send one notification; record the outcome. A failure never undoes the dossier change."""
    try:
        send_mail(note.subject, note.body, settings.DEFAULT_FROM_EMAIL, [note.recipient])
    except Exception as exc:  # noqa: BLE001 - any mail failure is recorded for a retry
        logger.warning("mail to %s failed: %s", note.recipient, exc)
        Notification.objects.filter(pk=note.pk).update(error=str(exc)[:1000],
                                                        attempts=F("attempts") + 1)
        return False
    Notification.objects.filter(pk=note.pk).update(sent_at=timezone.now(), error="",
                                                    attempts=F("attempts") + 1)
    return True


def deliver_pending(*, limit: int = 100, max_attempts: int = 5) -> int:
    """Send what is waiting (the queue worker's job, and retries of failed sends).

    Rows are claimed with SKIP LOCKED on PostgreSQL, so several workers can run.
    """
    sent = 0
    with transaction.atomic():
        pending = (Notification.objects.select_for_update(skip_locked=True)
                   .filter(sent_at__isnull=True, attempts__lt=max_attempts)
                   .order_by("created_at")[:limit])
        for note in pending:
            sent += deliver(note)
    return sent
