"""A small month of dossiers for the pages, exports and API of the index.

Reporting month March 2026 (Decree 09/2019): 15/02/2026 .. 14/03/2026.
Commune A: two online dossiers (one on time, one late), one counter dossier
still open past its due date. Commune B: one counter dossier on time.
Everything goes through the dossier services, as in production.
"""

import datetime as dt

import pytest

from digigov.accounts.models import Role
from digigov.dossiers import services
from digigov.reports import periods, scopes
from tests.conftest import FORM, PASSWORD, component_files, make_official, vn

MARCH = periods.month(2026, 3)
COUNTER_APPLICANT = {"name": "Lê Văn C", "id_number": "020190009999", "phone": "0912000111"}


def walk_to_end(dossier, counter, specialist, leader, *, start: dt.datetime,
                end: dt.datetime):
    services.hand_over(official=counter, dossier=dossier, to_user=specialist,
                       now=start + dt.timedelta(hours=1))
    services.hand_over(official=specialist, dossier=dossier, to_user=leader,
                       now=start + dt.timedelta(hours=2))
    services.complete(official=leader, dossier=dossier, result_summary="Cấp Giấy khai sinh",
                      now=end)
    return services.return_result(officer=counter, dossier=dossier,
                                  now=end + dt.timedelta(hours=1))


def build_month(procedure, citizen, commune_a, commune_b, counter_a, specialist_a, leader_a,
                counter_b) -> dict:
    specialist_b = make_official("chuyenvien.b@example.vn", commune_b, Role.SPECIALIST)
    leader_b = make_official("lanhdao.b@example.vn", commune_b, Role.LEADER)
    made = {}
    # A1: online, received Monday 2 March 10:00 (due Thursday 5 March), done on 4 March.
    a1 = services.submit_online(applicant=citizen, procedure=procedure, form_data=FORM,
                                files=component_files(procedure), agency=commune_a,
                                now=vn(2026, 3, 2, 9, 0))
    services.receive(officer=counter_a, dossier=a1, now=vn(2026, 3, 2, 10, 0))
    made["a_on_time"] = walk_to_end(a1, counter_a, specialist_a, leader_a,
                                    start=vn(2026, 3, 2, 10, 0), end=vn(2026, 3, 4, 9, 0))
    # A2: online, received 2 March, done late on 10 March.
    a2 = services.submit_online(applicant=citizen, procedure=procedure, form_data=FORM,
                                files=component_files(procedure), agency=commune_a,
                                now=vn(2026, 3, 2, 9, 30))
    services.receive(officer=counter_a, dossier=a2, now=vn(2026, 3, 2, 10, 30))
    made["a_late"] = walk_to_end(a2, counter_a, specialist_a, leader_a,
                                 start=vn(2026, 3, 2, 10, 30), end=vn(2026, 3, 10, 9, 0))
    # A3: at the counter on 3 March, never finished: open and late.
    made["a_open_late"] = services.submit_at_counter(
        officer=counter_a, procedure=procedure, agency=commune_a, applicant=COUNTER_APPLICANT,
        form_data=FORM, files=component_files(procedure), now=vn(2026, 3, 3, 8, 30))
    # B1: at the counter of commune B on 3 March, done on 4 March.
    b1 = services.submit_at_counter(
        officer=counter_b, procedure=procedure, agency=commune_b, applicant=COUNTER_APPLICANT,
        form_data=FORM, files=component_files(procedure), now=vn(2026, 3, 3, 9, 0))
    made["b_on_time"] = walk_to_end(b1, counter_b, specialist_b, leader_b,
                                    start=vn(2026, 3, 3, 9, 0), end=vn(2026, 3, 4, 15, 0))
    return made


@pytest.fixture
def month_data(procedure, citizen, commune_a, commune_b, counter_a, specialist_a, leader_a,
               counter_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_month(procedure, citizen, commune_a, commune_b, counter_a, specialist_a,
                       leader_a, counter_b)


def login(client, user):
    assert client.login(username=user.email, password=PASSWORD)
    return client


def month_query(**extra) -> dict:
    return {"period": "month-2026-3", **extra}


def scope(code=None):
    return scopes.scope_for(code)
