"""Every page of both journeys, with no Vietnamese interface text left in en or id."""

import html

import pytest
from django.urls import reverse

from digigov.dossiers import services
from tests.conftest import FORM, component_files, vn

from .conftest import client_in
from .test_pages import untranslated


@pytest.fixture
def received(procedure, citizen, commune_a, counter_a):
    dossier = services.submit_online(
        applicant=citizen,
        procedure=procedure,
        form_data=FORM,
        files=component_files(procedure),
        agency=commune_a,
        now=vn(2026, 3, 2, 9, 0),
    )
    dossier = services.receive(officer=counter_a, dossier=dossier, now=vn(2026, 3, 2, 9, 30))
    services.apologise(
        official=counter_a,
        dossier=dossier,
        reason="Chờ xác minh nơi sinh",
        new_due_at=vn(2026, 3, 10, 15, 30),
        now=vn(2026, 3, 4, 8, 0),
    )
    return dossier


@pytest.fixture
def stopped(procedure, citizen, commune_a, counter_a, leader_a):
    dossier = services.submit_online(
        applicant=citizen,
        procedure=procedure,
        form_data=FORM,
        files=component_files(procedure),
        agency=commune_a,
        now=vn(2026, 3, 2, 10, 0),
    )
    dossier = services.receive(officer=counter_a, dossier=dossier, now=vn(2026, 3, 2, 10, 30))
    services.request_supplement(
        official=counter_a,
        dossier=dossier,
        reason="Thiếu bản sao",
        items=["Giấy chứng sinh"],
        now=vn(2026, 3, 3, 9, 0),
    )
    return services.stop_processing(
        official=leader_a, dossier=dossier, reason="Không bổ sung", now=vn(2026, 3, 4, 10, 0)
    )


def assert_translated(client, url, language):
    response = client.get(url)
    assert response.status_code == 200, url
    page = html.unescape(response.content.decode())
    assert f'<html lang="{language}">' in page
    assert untranslated(page) == [], url


@pytest.mark.parametrize("language", ["en", "id"])
def test_applicant_pages(language, procedure, citizen, received):
    client = client_in(language, user=citizen)
    for url in [
        reverse("portal:procedure", args=[procedure.national_code]),
        reverse("portal:submit", args=[procedure.national_code]),
        reverse("portal:my_dossiers"),
        reverse("portal:dossier", args=[received.uuid]),
        reverse("portal:lookup"),
        reverse("accounts:profile"),
    ]:
        assert_translated(client, url, language)


@pytest.mark.parametrize("language", ["en", "id"])
def test_office_pages_and_printed_forms(
    language, procedure, commune_a, counter_a, received, stopped
):
    client = client_in(language, user=counter_a)
    urls = [
        reverse("office:detail", args=[received.uuid]),
        reverse("office:detail", args=[stopped.uuid]),
        reverse("office:counter"),
        reverse("office:counter_new", args=[commune_a.uuid, procedure.uuid]),
        reverse("office:register") + "?date_from=2026-03-01&date_to=2026-03-31",
    ]
    urls += [reverse("office:print", args=[received.uuid, n]) for n in ("01", "04", "06")]
    urls += [reverse("office:print", args=[stopped.uuid, n]) for n in ("02", "05")]
    for url in urls:
        assert_translated(client, url, language)
