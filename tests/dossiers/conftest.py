"""Dossiers in each state of their life, on the shared fixtures of tests/conftest.py."""

import pytest

from digigov.accounts.models import Role
from digigov.dossiers import services
from tests.conftest import make_official, vn

from .support import RECEIVED, SCORES, submit


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a fresh folder per test, so that tests can count them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Accounts are created by the dozen here; their password strength is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def specialist_b(commune_b):
    return make_official("chuyenvien.b@example.vn", commune_b, Role.SPECIALIST)


@pytest.fixture
def leader_b(commune_b):
    return make_official("lanhdao.b@example.vn", commune_b, Role.LEADER)


@pytest.fixture
def counter_a2(commune_a):
    return make_official("motcua2.a@example.vn", commune_a, Role.COUNTER_OFFICER)


@pytest.fixture
def new_dossier(procedure, citizen, commune_a):
    """Submitted online on Monday 2 March 2026 at 09:00."""
    return submit(procedure, citizen, commune_a)


@pytest.fixture
def received(new_dossier, counter_a):
    """Received on Monday at 10:00: due Thursday 5 March at 10:00."""
    return services.receive(officer=counter_a, dossier=new_dossier, now=RECEIVED)


@pytest.fixture
def at_specialist(received, counter_a, specialist_a):
    return services.hand_over(official=counter_a, dossier=received, to_user=specialist_a,
                              now=vn(2026, 3, 2, 11, 0))


@pytest.fixture
def at_leader(at_specialist, specialist_a, leader_a):
    return services.hand_over(official=specialist_a, dossier=at_specialist, to_user=leader_a,
                              now=vn(2026, 3, 3, 11, 0))


@pytest.fixture
def processed(at_leader, leader_a):
    return services.complete(official=leader_a, dossier=at_leader,
                             result_summary="Cấp Giấy khai sinh", now=vn(2026, 3, 4, 9, 0))


@pytest.fixture
def returned(processed, counter_a):
    return services.return_result(officer=counter_a, dossier=processed, now=vn(2026, 3, 4, 10, 0))


@pytest.fixture
def scores():
    return dict(SCORES)
