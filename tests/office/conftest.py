"""Back-office fixtures: a settable clock, signed-in clients and dossiers in each state."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from digigov.audit.models import AuditEvent
from digigov.dossiers import services
from digigov.dossiers.models import Dossier
from tests.conftest import FORM, component_files, vn

MONDAY_9 = vn(2026, 3, 2, 9, 0)


class Clock:
    def __init__(self, at: dt.datetime):
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """Pages call the services without ``now``: pin "now" to Monday 2 March 2026, 09:00."""
    frozen = Clock(MONDAY_9)
    monkeypatch.setattr(timezone, "now", frozen)
    return frozen


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # Pages are rendered without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def signed_in(client, user):
    client.force_login(user)
    return client


def submit(procedure, citizen, agency, at=MONDAY_9) -> Dossier:
    return services.submit_online(applicant=citizen, procedure=procedure, form_data=FORM,
                                  files=component_files(procedure), agency=agency, now=at)


def submit_and_receive(procedure, citizen, agency, officer, at=MONDAY_9) -> Dossier:
    return services.receive(officer=officer, dossier=submit(procedure, citizen, agency, at),
                            now=at)


def post_action(client, dossier, action, **data):
    """Submit one action form of the detail page, with its field prefix."""
    return client.post(reverse("office:action", args=[dossier.uuid, action]),
                       {f"{action}-{key}": value for key, value in data.items()})


def snapshot(dossier) -> tuple:
    """Everything an action could change; equal snapshots mean nothing changed."""
    d = Dossier.objects.get(pk=dossier.pk)
    return (
        d.status, d.updated_at, d.due_at, d.apology_due_at, d.assignee_id, d.current_step_id,
        d.supplement_count, d.closing_reason, d.result_summary,
        d.step_records.count(), d.supplements.count(), d.obligations.count(),
        d.apologies.count(), d.files.count(),
        AuditEvent.objects.filter(object_id=d.code).count(),
    )


@pytest.fixture
def new_dossier(procedure, citizen, commune_a):
    """Submitted online to commune A on Monday 2 March 2026 at 09:00."""
    return submit(procedure, citizen, commune_a)


@pytest.fixture
def received(new_dossier, counter_a):
    """Received at once: due Thursday 5 March at 09:00."""
    return services.receive(officer=counter_a, dossier=new_dossier, now=MONDAY_9)


@pytest.fixture
def at_specialist(received, counter_a, specialist_a):
    return services.hand_over(official=counter_a, dossier=received, to_user=specialist_a,
                              now=MONDAY_9)


@pytest.fixture
def at_leader(at_specialist, specialist_a, leader_a):
    return services.hand_over(official=specialist_a, dossier=at_specialist, to_user=leader_a,
                              now=MONDAY_9)


@pytest.fixture
def processed(at_leader, leader_a):
    return services.complete(official=leader_a, dossier=at_leader,
                             result_summary="Cấp Giấy khai sinh bản chính", now=MONDAY_9)


@pytest.fixture
def dossier_b(procedure, other_citizen, commune_b, counter_b):
    """A received dossier of commune B."""
    return submit_and_receive(procedure, other_citizen, commune_b, counter_b)
