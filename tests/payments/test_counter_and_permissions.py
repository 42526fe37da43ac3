"""Counter takings by counter officers only; nobody else pays or sees another's payments."""

import pytest
from django.test import Client

from digigov.core.errors import InvalidInput, InvalidTransition, NotAllowed
from digigov.dossiers.models import Status
from digigov.payments import services
from digigov.payments.models import Payment
from tests.portal.test_accessibility import assert_labelled

from .conftest import login

pytestmark = pytest.mark.django_db

CASH_4000 = {"payment-target": "fee", "payment-channel": "cash", "payment-amount": "4000"}


def test_counter_officer_records_cash_and_a_receipt_is_issued(counter_a, online_dossier):
    client = login(counter_a)
    page = client.get(f"/office/d/{online_dossier.uuid}/")
    assert "Ghi nhận nộp tiền tại bộ phận một cửa" in page.content.decode()
    assert page.context["csrf_token"] and (
        f'name="csrfmiddlewaretoken" value="{page.context["csrf_token"]}"'
        in page.content.decode())
    assert_labelled(page.content.decode())
    response = client.post(f"/thanh-toan/quay/{online_dossier.uuid}/", CASH_4000)
    assert response.status_code == 302
    payment = Payment.objects.get(dossier=online_dossier)
    assert (payment.status, payment.channel, payment.created_by) == ("paid", "cash", counter_a)
    page = client.get(f"/office/d/{online_dossier.uuid}/").content.decode()
    assert payment.receipt_number in page
    assert "Ghi nhận nộp tiền tại bộ phận một cửa" not in page  # nothing owed any more
    receipt = client.get(f"/thanh-toan/{payment.uuid}/bien-lai/")
    assert receipt.status_code == 200 and counter_a.full_name in receipt.content.decode()


def test_counter_obligation_by_transfer_resumes_processing(counter_a, obligation_dossier):
    with pytest.raises(InvalidInput) as exc:
        services.record_counter_payment(officer=counter_a, dossier=obligation_dossier,
                                        obligation=obligation_dossier.obligations.get(),
                                        channel="transfer", amount=150_000)
    assert "reference" in exc.value.fields
    payment = services.record_counter_payment(
        officer=counter_a, dossier=obligation_dossier,
        obligation=obligation_dossier.obligations.get(), channel="transfer", amount=150_000,
        reference="FT26061123456")
    obligation_dossier.refresh_from_db()
    assert obligation_dossier.status == Status.PROCESSING
    assert payment.gateway_reference == "FT26061123456"


def test_counter_amount_must_match(counter_a, online_dossier):
    client = login(counter_a)
    refused = client.post(f"/thanh-toan/quay/{online_dossier.uuid}/",
                          {**CASH_4000, "payment-amount": "3000"}, follow=True)
    assert "Số tiền phải đúng bằng số phải nộp: 4.000 VNĐ." in refused.content.decode()
    assert not Payment.objects.exists()
    with pytest.raises(InvalidInput):
        services.record_counter_payment(officer=counter_a, dossier=online_dossier,
                                        channel="cash", amount=5000)
    with pytest.raises(InvalidInput):
        services.record_counter_payment(officer=counter_a, dossier=online_dossier,
                                        channel="card", amount=4000)
    assert not Payment.objects.exists()


def test_only_a_counter_officer_of_the_dossier_unit_takes_money(
        specialist_a, counter_b, citizen, online_dossier):
    for user in (specialist_a, counter_b, citizen):
        with pytest.raises(NotAllowed):
            services.record_counter_payment(officer=user, dossier=online_dossier,
                                            channel="cash", amount=4000)
    assert login(specialist_a).post(
        f"/thanh-toan/quay/{online_dossier.uuid}/",
        CASH_4000).status_code == 302
    assert login(citizen).post(
        f"/thanh-toan/quay/{online_dossier.uuid}/",
        CASH_4000).status_code == 403
    # Another unit's officer does not even see the dossier.
    assert login(counter_b).post(
        f"/thanh-toan/quay/{online_dossier.uuid}/",
        CASH_4000).status_code == 404
    assert not Payment.objects.exists()


def test_another_citizen_cannot_pay_or_see(citizen, other_citizen, online_dossier):
    payment = services.start_online_payment(payer=citizen, dossier=online_dossier)
    other = login(other_citizen)
    assert other.get(f"/thanh-toan/ho-so/{online_dossier.uuid}/").status_code == 404
    assert other.post(f"/thanh-toan/ho-so/{online_dossier.uuid}/",
                      {"target": "fee"}).status_code == 404
    assert other.get(f"/thanh-toan/{payment.uuid}/ket-qua/").status_code == 404
    with pytest.raises(NotAllowed):
        services.start_online_payment(payer=other_citizen, dossier=online_dossier)
    assert Payment.objects.count() == 1
    # An anonymous visitor is sent to sign in.
    assert Client().get(f"/thanh-toan/ho-so/{online_dossier.uuid}/").status_code == 302


def test_receipt_only_for_the_applicant_and_the_dossier_units(
        citizen, other_citizen, counter_a, counter_b, online_dossier):
    payment = services.record_counter_payment(officer=counter_a, dossier=online_dossier,
                                              channel="cash", amount=4000)
    url = f"/thanh-toan/{payment.uuid}/bien-lai/"
    assert login(citizen).get(url).status_code == 200
    assert login(counter_a).get(url).status_code == 200
    assert login(other_citizen).get(url).status_code == 404
    assert login(counter_b).get(url).status_code == 404


def test_nothing_to_pay_is_refused(citizen, online_dossier, procedure):
    with pytest.raises(InvalidTransition):  # no open obligation
        services.obligation_for(online_dossier, "obligation")
    with pytest.raises(InvalidInput):
        services.obligation_for(online_dossier, "tip")
    online_dossier.fee_amount = 0
    online_dossier.save()
    with pytest.raises(InvalidTransition):
        services.start_online_payment(payer=citizen, dossier=online_dossier)
    response = login(citizen).post(f"/thanh-toan/ho-so/{online_dossier.uuid}/",
                                   {"target": "fee"})
    assert response.status_code == 409
    assert not Payment.objects.exists()


def test_withdrawn_dossier_takes_no_fee(citizen, online_dossier):
    from digigov.dossiers import services as dossier_services

    dossier_services.withdraw(actor=citizen, dossier=online_dossier, reason="Không cần nữa")
    with pytest.raises(InvalidTransition):
        services.start_online_payment(payer=citizen, dossier=online_dossier)
