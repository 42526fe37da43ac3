"""Signed documents are issued the day they are signed (urgent) or by the next working day."""

import datetime as dt

from django.urls import reverse

from digigov.documents import selectors
from digigov.documents.models import OutgoingStatus
from digigov.worktime.calendar import WorkCalendar
from tests.conftest import vn

from .conftest import signed


def test_issue_day_is_the_next_working_day_or_the_same_day_when_urgent(
        certificates, specialist_a, leader_a, commune_a):
    document = signed(specialist_a, leader_a, commune_a)
    calendar = WorkCalendar.load()
    document.signed_at = vn(2026, 1, 2, 16, 0)  # a Friday
    assert selectors.issue_due_on(document, calendar) == dt.date(2026, 1, 5)  # Monday
    document.urgency = "khan"
    assert selectors.issue_due_on(document, calendar) == dt.date(2026, 1, 2)


def test_the_clerk_sees_documents_late_to_issue(certificates, specialist_a, leader_a,
                                                clerk_a, commune_a, client):
    late = signed(specialist_a, leader_a, commune_a, subject="Báo cáo quý")
    on_time = signed(specialist_a, leader_a, commune_a, subject="Kế hoạch tháng")
    type(late).objects.filter(pk=late.pk).update(signed_at=vn(2026, 1, 2, 16, 0))
    late.refresh_from_db()
    assert late.status == on_time.status == OutgoingStatus.SIGNED
    assert selectors.late_to_issue([late, on_time], today=dt.date(2026, 1, 6)) == [late]
    assert selectors.late_to_issue([late], today=dt.date(2026, 1, 5)) == []
    client.force_login(clerk_a)
    page = client.get(reverse("documents:home")).content.decode()
    assert "Văn bản đã ký quá hạn phát hành" in page
    warning = page.split("Văn bản đã ký quá hạn phát hành")[1].split("</div>")[0]
    assert "Báo cáo quý" in warning and "Kế hoạch tháng" not in warning
