"""Receipt numbers: sequential and unique per agency per year."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from digigov.dossiers import services as dossier_services
from digigov.payments import services
from digigov.payments.models import Payment
from tests.conftest import FORM, component_files

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _dossier(citizen, procedure, agency):
    return dossier_services.submit_online(applicant=citizen, procedure=procedure,
                                          form_data=FORM, files=component_files(procedure),
                                          agency=agency)


def _cash(officer, dossier, when):
    return services.record_counter_payment(officer=officer, dossier=dossier, channel="cash",
                                           amount=dossier.fee_amount, now=when)


def test_numbers_run_per_agency_and_restart_each_year(citizen, procedure, commune_a, commune_b,
                                                       counter_a, counter_b):
    new_year_eve = dt.datetime(2026, 12, 31, 23, 30, tzinfo=VN)
    a1 = _cash(counter_a, _dossier(citizen, procedure, commune_a), new_year_eve)
    a2 = _cash(counter_a, _dossier(citizen, procedure, commune_a), new_year_eve)
    b1 = _cash(counter_b, _dossier(citizen, procedure, commune_b), new_year_eve)
    # 00:10 on 1 January in Vietnam is still 31 December in UTC: the local year counts.
    a3 = _cash(counter_a, _dossier(citizen, procedure, commune_a),
               dt.datetime(2027, 1, 1, 0, 10, tzinfo=VN))
    assert [a1.receipt_number, a2.receipt_number] == ["BL2026-000001", "BL2026-000002"]
    assert b1.receipt_number == "BL2026-000001"
    assert a3.receipt_number == "BL2027-000001"
    assert (b1.receipt_agency, a1.receipt_agency) == (commune_b, commune_a)


def test_the_database_refuses_a_duplicate_number(citizen, procedure, commune_a, counter_a):
    first = _cash(counter_a, _dossier(citizen, procedure, commune_a), None)
    second = _cash(counter_a, _dossier(citizen, procedure, commune_a), None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=second.pk).update(receipt_sequence=first.receipt_sequence)


def test_failed_and_pending_payments_take_no_number(citizen, online_dossier):
    payment = services.start_online_payment(payer=citizen, dossier=online_dossier)
    assert payment.receipt_number == ""
    assert payment.receipt_sequence is None
