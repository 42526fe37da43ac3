"""Fee computation: fixed by channel, a rule table, quantities, zero-fee procedures."""

import pytest

from digigov.audit.models import AuditEvent
from digigov.core.errors import InvalidInput
from digigov.dossiers import services
from digigov.dossiers.models import Channel
from digigov.payments.fees import applicant_type, compute_fee
from digigov.payments.models import FeeRule
from tests.conftest import FORM, component_files

pytestmark = pytest.mark.django_db


def _version(procedure):
    return procedure.version_on()


def _at_counter(counter_a, procedure, commune_a, *, id_number="020190001234", form=FORM):
    return services.submit_at_counter(
        officer=counter_a, procedure=procedure, agency=commune_a,
        applicant={"name": "Lê Văn C", "id_number": id_number}, form_data=form,
        files=component_files(procedure))


def test_fixed_fee_differs_by_channel(online_dossier, counter_a, procedure, commune_a):
    assert online_dossier.fee_amount == 4000
    assert compute_fee(online_dossier) == 4000
    at_counter = _at_counter(counter_a, procedure, commune_a)
    assert at_counter.fee_amount == 8000
    assert compute_fee(at_counter) == 8000


def test_zero_fee_procedure_owes_nothing(citizen, procedure, commune_a):
    version = _version(procedure)
    version.fee_counter = version.fee_online = 0
    version.save()
    dossier = services.submit_online(applicant=citizen, procedure=procedure, form_data=FORM,
                                     files=component_files(procedure), agency=commune_a)
    assert dossier.fee_amount == 0
    assert compute_fee(dossier) == 0


def test_first_matching_rule_sets_the_fee_and_is_recorded(citizen, procedure, commune_a):
    version = _version(procedure)
    FeeRule.objects.create(version=version, order=1, description="Trẻ tên Bé: miễn",
                           field_key="child_name", field_value="nguyễn văn bé", amount=0)
    FeeRule.objects.create(version=version, order=2, description="Trực tuyến",
                           channel=Channel.ONLINE, amount=3000)
    dossier = services.submit_online(applicant=citizen, procedure=procedure,
                                     form_data={**FORM, "child_name": "Nguyễn Văn Bé"},
                                     files=component_files(procedure), agency=commune_a)
    dossier.refresh_from_db()
    assert dossier.fee_amount == 0  # the field rule wins (case-insensitive match)
    other = services.submit_online(applicant=citizen, procedure=procedure,
                                   form_data={**FORM, "child_name": "Trần Thị Hoa"},
                                   files=component_files(procedure), agency=commune_a)
    other.refresh_from_db()
    assert other.fee_amount == 3000
    event = AuditEvent.objects.get(object_id=other.code, action="submit")
    assert event.data["fee"] == 3000


def test_rules_by_channel_and_applicant_type(counter_a, procedure, commune_a, online_dossier):
    version = _version(procedure)
    FeeRule.objects.create(version=version, order=1, description="Doanh nghiệp tại quầy",
                           channel=Channel.COUNTER, applicant_type="business", amount=50_000)
    FeeRule.objects.create(version=version, order=2, description="Công dân tại quầy",
                           channel=Channel.COUNTER, applicant_type="citizen", amount=10_000)
    business = _at_counter(counter_a, procedure, commune_a, id_number="0101234567")
    person = _at_counter(counter_a, procedure, commune_a)
    assert applicant_type(business) == "business"
    assert applicant_type(person) == "citizen"
    assert business.fee_amount == 50_000
    assert person.fee_amount == 10_000
    # No rule for the online channel: the version's fixed online fee applies.
    assert compute_fee(online_dossier) == 4000


def test_quantity_rule_multiplies_unit_price(citizen, procedure, commune_a):
    version = _version(procedure)
    version.form_fields.create(order=3, key="pages", label="Số trang", type="number")
    FeeRule.objects.create(version=version, order=1, description="Sao y: 2.000 đ/trang",
                           quantity_field="pages", amount=2000)
    dossier = services.submit_online(applicant=citizen, procedure=procedure,
                                     form_data={**FORM, "pages": "12"},
                                     files=component_files(procedure), agency=commune_a)
    assert dossier.fee_amount == 24_000
    part = services.submit_online(applicant=citizen, procedure=procedure,
                                  form_data={**FORM, "pages": "2.5"},
                                  files=component_files(procedure), agency=commune_a)
    assert part.fee_amount == 6000  # a started page counts as one


def test_quantity_rule_refuses_a_negative_quantity_and_nothing_is_stored(
        citizen, procedure, commune_a):
    version = _version(procedure)
    version.form_fields.create(order=3, key="pages", label="Số trang", type="number")
    FeeRule.objects.create(version=version, order=1, description="Theo trang",
                           quantity_field="pages", amount=2000)
    with pytest.raises(InvalidInput) as exc:
        services.submit_online(applicant=citizen, procedure=procedure,
                               form_data={**FORM, "pages": "-3"},
                               files=component_files(procedure), agency=commune_a)
    assert "pages" in exc.value.fields
    assert not citizen.dossiers.exists()

