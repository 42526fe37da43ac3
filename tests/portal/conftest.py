"""Portal tests: uploaded files go to a temporary folder; static URLs need no manifest."""

import pytest

from digigov.dossiers import services
from tests.conftest import FORM, component_files, vn


@pytest.fixture(autouse=True)
def _isolated_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def dossier(procedure, commune_a, citizen):
    """A dossier the citizen submitted online, not yet received."""
    return services.submit_online(applicant=citizen, procedure=procedure, form_data=FORM,
                                  files=component_files(procedure), agency=commune_a,
                                  now=vn(2026, 3, 2, 9, 0))


@pytest.fixture
def received(dossier, counter_a):
    return services.receive(officer=counter_a, dossier=dossier, now=vn(2026, 3, 2, 10, 0))
