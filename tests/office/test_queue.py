"""The work queue: who may open it, what it lists, and the red/amber/green deadline state."""

import re

import pytest
from django.urls import reverse

from digigov.accounts.models import Role
from digigov.dossiers import selectors, services
from digigov.dossiers.models import Channel, Dossier
from digigov.worktime.calendar import WorkCalendar
from tests.conftest import FORM, make_official, vn

from .conftest import signed_in, submit, submit_and_receive

QUEUE = reverse("office:queue")


def row_of(html: str, code: str) -> str:
    """The table row of one dossier in the queue page."""
    rows = [r for r in re.split(r"<tr[ >]", html) if code in r]
    assert len(rows) == 1, f"{code} should appear in exactly one row"
    return rows[0]


def test_anonymous_users_are_sent_to_login(client, db):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "next=/office/" in response.url


def test_citizens_are_refused(client, citizen):
    assert signed_in(client, citizen).get(QUEUE).status_code == 403


def test_queue_lists_open_dossiers_of_the_officials_units_only(
        client, procedure, citizen, other_citizen, commune_a, commune_b, counter_a, counter_b):
    mine = submit(procedure, citizen, commune_a)
    refused = submit(procedure, citizen, commune_a)
    services.refuse(officer=counter_a, dossier=refused, reason="Không thuộc thẩm quyền")
    other = submit_and_receive(procedure, other_citizen, commune_b, counter_b)

    html = signed_in(client, counter_a).get(QUEUE).content.decode()

    assert mine.code in html
    assert refused.code not in html  # closed
    assert other.code not in html  # commune B
    row = row_of(html, mine.code)
    assert "Nguyễn Văn A" in row and "Đăng ký khai sinh" in row and "Mới đăng ký" in row


def test_rows_show_red_amber_green_in_words(client, procedure, citizen, commune_a, counter_a):
    # Now is Monday 2 March 2026, 09:00; the procedure takes 3 working days.
    late = submit_and_receive(procedure, citizen, commune_a, counter_a,
                              at=vn(2026, 2, 23, 9, 0))  # due Thu 26 Feb 09:00
    soon = submit_and_receive(procedure, citizen, commune_a, counter_a,
                              at=vn(2026, 2, 26, 9, 0))  # due Tue 3 Mar 09:00: 8 working hours
    fresh = submit_and_receive(procedure, citizen, commune_a, counter_a)  # due Thu 5 Mar

    html = signed_in(client, counter_a).get(QUEUE).content.decode()

    assert "rag--red" in row_of(html, late.code) and "Quá hạn" in row_of(html, late.code)
    assert "rag--amber" in row_of(html, soon.code)
    assert "Sắp đến hạn" in row_of(html, soon.code)
    assert "rag--green" in row_of(html, fresh.code)
    assert "Trong hạn" in row_of(html, fresh.code)
    assert "03/03/2026" in row_of(html, soon.code)  # the due date is shown
    # Most urgent first.
    assert html.index(late.code) < html.index(soon.code) < html.index(fresh.code)


def test_amber_counts_working_time_not_calendar_time(received):
    calendar = WorkCalendar.load()
    received.due_at = vn(2026, 3, 9, 10, 0)  # Monday
    # Friday 16:00 -> Monday 10:00 is 3 working hours: amber, although 66 hours away.
    assert selectors.deadline_state(received, now=vn(2026, 3, 6, 16, 0),
                                    calendar=calendar) == "amber"
    # Thursday 16:00 -> Monday 10:00 is 11 working hours: green.
    assert selectors.deadline_state(received, now=vn(2026, 3, 5, 16, 0),
                                    calendar=calendar) == "green"
    assert selectors.deadline_state(received, now=vn(2026, 3, 9, 10, 1),
                                    calendar=calendar) == "red"


def test_time_waiting_for_a_supplement_is_not_counted_against_the_agency(
        procedure, citizen, commune_a, counter_a):
    dossier = submit_and_receive(procedure, citizen, commune_a, counter_a,
                                 at=vn(2026, 2, 23, 9, 0))  # due Thu 26 Feb 09:00
    dossier = services.request_supplement(official=counter_a, dossier=dossier, reason="Thiếu",
                                          items=["Giấy chứng sinh bản chính"],
                                          now=vn(2026, 2, 24, 9, 0))
    # Paused on Tue 24 Feb with 2 working days left: on Mon 2 Mar it is still green.
    assert selectors.deadline_state(dossier, now=vn(2026, 3, 2, 9, 0)) == "green"


def test_filters_by_status_procedure_and_assignee(client, procedure, citizen, commune_a,
                                                  counter_a, specialist_a):
    waiting = submit(procedure, citizen, commune_a)
    with_me = submit_and_receive(procedure, citizen, commune_a, counter_a)
    handed = services.hand_over(official=counter_a, to_user=specialist_a,
                                dossier=submit_and_receive(procedure, citizen, commune_a,
                                                           counter_a))
    client = signed_in(client, counter_a)

    html = client.get(QUEUE, {"status": 2}).content.decode()
    assert with_me.code in html and waiting.code not in html and handed.code not in html

    html = client.get(QUEUE, {"mine": "on"}).content.decode()
    assert with_me.code in html and waiting.code not in html and handed.code not in html

    html = client.get(QUEUE, {"procedure": str(procedure.uuid)}).content.decode()
    assert all(d.code in html for d in (waiting, with_me, handed))

    html = client.get(QUEUE, {"q": waiting.code}).content.decode()
    assert waiting.code in html and with_me.code not in html

    # Status tabs count every open dossier, whatever the filter.
    assert re.search(r"Mới đăng ký <span class=\"count\">1</span>", html)
    assert re.search(r"Đang xử lý <span class=\"count\">1</span>", html)


def test_queue_is_paginated(client, procedure, commune_a, counter_a):
    for i in range(26):
        services.submit_at_counter(
            officer=counter_a, procedure=procedure, agency=commune_a,
            applicant={"name": f"Người nộp {i}", "id_number": "020190001234"},
            form_data=FORM, files={}, channel=Channel.COUNTER, receive_now=False)
    client = signed_in(client, counter_a)
    first = client.get(QUEUE).content.decode()
    second = client.get(QUEUE, {"page": 2}).content.decode()
    codes = list(Dossier.objects.values_list("code", flat=True))
    assert sum(code in first for code in codes) == 25
    assert sum(code in second for code in codes) == 1
    assert "26 hồ sơ" in first and 'rel="next"' in first


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.LEADER])
def test_other_roles_see_their_units_queue(client, role, commune_a, received):
    official = make_official(f"{role}.x@example.vn", commune_a, role)
    assert received.code in signed_in(client, official).get(QUEUE).content.decode()
