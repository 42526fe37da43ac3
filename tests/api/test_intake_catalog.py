"""Submissions keep the catalog they read, and see every change to it at once."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from digigov.catalog.models import FormField, Procedure
from digigov.dossiers import intake_catalog
from digigov.dossiers.models import Dossier
from digigov.orgs.models import Agency
from digigov.payments.models import FeeRule
from tests.api.conftest import assert_problem, submission


def _submit(api, procedure, agency):
    return api.post_multipart("/api/v1/dossiers", submission(procedure, agency))


def test_a_second_submission_reads_no_catalog_rows(citizen_api, procedure, commune_a):
    assert _submit(citizen_api, procedure, commune_a).status_code == 201
    data = submission(procedure, commune_a)
    with CaptureQueriesContext(connection) as queries:
        assert citizen_api.post_multipart("/api/v1/dossiers", data).status_code == 201
    read = " ".join(q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT"))
    assert "catalog_catalogrevision" in read
    for table in ("catalog_procedure", "catalog_procedureversion", "catalog_formfield",
                  "catalog_componentspec", "payments_feerule", "orgs_agency"):
        assert f'"{table}"' not in read


def test_changes_made_without_signals_are_seen_by_the_next_submission(
        citizen_api, procedure, commune_a):
    assert _submit(citizen_api, procedure, commune_a).status_code == 201
    version = procedure.version_on()

    FeeRule.objects.create(version=version, description="Miễn phí trực tuyến", amount=0)
    response = _submit(citizen_api, procedure, commune_a)
    assert response.status_code == 201 and response.json()["fee_amount"] == 0

    FormField.objects.create(version=version, order=3, key="father_name", label="Họ tên cha")
    body = assert_problem(_submit(citizen_api, procedure, commune_a), 422, "invalid_input")
    assert "father_name" in body["errors"]
    FormField.objects.filter(key="father_name").update(required=False)
    assert _submit(citizen_api, procedure, commune_a).status_code == 201

    procedure.competent_agencies.remove(commune_a)
    body = assert_problem(_submit(citizen_api, procedure, commune_a), 422)
    assert "agency" in body["errors"]
    procedure.competent_agencies.add(commune_a)

    Agency.objects.filter(pk=commune_a.pk).update(valid_to=dt.date(2025, 12, 31))
    assert_problem(_submit(citizen_api, procedure, commune_a), 422)
    Agency.objects.filter(pk=commune_a.pk).update(valid_to=None)

    Procedure.objects.filter(pk=procedure.pk).update(is_published=False)
    assert_problem(_submit(citizen_api, procedure, commune_a), 422)
    assert Dossier.objects.count() == 3


def test_rows_read_after_a_change_are_not_kept_under_the_old_token(procedure):
    catalog = intake_catalog.snapshot()
    Procedure.objects.filter(pk=procedure.pk).update(name="Đăng ký khai sinh (mới)")
    assert catalog.procedure(procedure.national_code).name == "Đăng ký khai sinh (mới)"
    assert catalog.procedure(procedure.national_code) is not catalog.procedure(
        procedure.national_code)
    fresh = intake_catalog.snapshot()
    assert fresh.procedure(procedure.national_code) is fresh.procedure(procedure.national_code)
