"""submit_online, submit_at_counter and the dossier code."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import AnonymousUser

from digigov.catalog.models import ServiceLevel
from digigov.core.errors import InvalidInput, NotAllowed
from digigov.dossiers import services
from digigov.dossiers.models import Channel, DossierFile, Status
from digigov.payments.models import FeeRule
from tests.conftest import FORM, PDF_BYTES, component_files, pdf, vn

from .support import (
    SUBMITTED,
    big_pdf,
    disguised_files,
    empty_pdf,
    events,
    files_on_disk,
    submit,
)
from .support import refused as _refused


def online(**kwargs):
    return services.submit_online(**{"now": SUBMITTED, **kwargs})


def refused(error, **kwargs):
    return _refused(error, online, **kwargs)


# -- submit_online ----------
def test_submit_online(procedure, citizen, commune_a):
    d = submit(procedure, citizen, commune_a)
    assert d.code == "000.01.37.H37-260302-0001"
    assert (d.status, d.channel, d.agency, d.applicant) == (
        Status.NEW, Channel.ONLINE, commune_a, citizen)
    assert (d.applicant_name, d.applicant_id_number, d.applicant_email) == (
        "Nguyễn Văn A", "020190001234", "nguyenvana@example.vn")
    assert d.fee_amount == 4000  # the online fee
    assert d.form_data == FORM and d.submitted_at == SUBMITTED
    assert d.procedure_version == procedure.version_on(SUBMITTED)
    assert d.received_at is None and d.due_at is None
    files = list(d.files.all())
    assert [f.original_name for f in files] == ["c1.pdf", "c2.pdf"]
    assert all(f.content_type == "application/pdf" and f.size == len(PDF_BYTES)
               and len(f.sha256) == 64 and f.uploaded_by == citizen for f in files)
    assert len(files_on_disk()) == 2
    assert events(d) == [("submit", "", "1")]
    assert d.notifications.count() == 1


def test_submit_online_picks_the_only_competent_agency(procedure, citizen, commune_a):
    procedure.competent_agencies.set([commune_a])
    d = online(applicant=citizen, procedure=procedure, form_data=FORM,
               files=component_files(procedure))
    assert d.agency == commune_a


def test_submit_online_keeps_optional_component(procedure, citizen, commune_a):
    files = component_files(procedure, required_only=False)
    d = online(applicant=citizen, procedure=procedure, form_data=FORM, files=files,
               agency=commune_a)
    assert d.files.count() == 3


def good(procedure, citizen, commune_a, **override):
    return {"applicant": citizen, "procedure": procedure, "form_data": FORM,
            "files": component_files(procedure), "agency": commune_a, **override}


def test_official_cannot_submit_online(procedure, citizen, commune_a, counter_a):
    refused(NotAllowed, **good(procedure, citizen, commune_a, applicant=counter_a))


def test_anonymous_cannot_submit_online(procedure, citizen, commune_a):
    refused(NotAllowed, **good(procedure, citizen, commune_a, applicant=AnonymousUser()))


def test_unpublished_procedure_is_refused(procedure, citizen, commune_a):
    procedure.is_published = False
    procedure.save()
    refused(InvalidInput, **good(procedure, citizen, commune_a))


def test_no_version_in_force_is_refused(procedure, citizen, commune_a):
    refused(InvalidInput, **good(procedure, citizen, commune_a), now=vn(2025, 6, 30, 9))


def test_procedure_not_offered_online_is_refused(procedure, citizen, commune_a):
    procedure.versions.update(service_level=ServiceLevel.NONE)
    refused(InvalidInput, **good(procedure, citizen, commune_a))


def test_applicant_without_identity_number_is_refused(procedure, citizen, commune_a):
    citizen.personal_id = ""
    citizen.save()
    error = refused(InvalidInput, **good(procedure, citizen, commune_a))
    assert "personal_id" in error.fields


def test_agency_must_be_chosen_among_several(procedure, citizen, commune_a):
    error = refused(InvalidInput, **good(procedure, citizen, commune_a, agency=None))
    assert "agency" in error.fields


def test_agency_without_competence_is_refused(procedure, citizen, commune_a, province):
    error = refused(InvalidInput, **good(procedure, citizen, commune_a, agency=province))
    assert "agency" in error.fields


@pytest.mark.parametrize(("form", "field"), [
    ({"birth_date": "2026-03-01"}, "child_name"),
    ({"child_name": "  ", "birth_date": "2026-03-01"}, "child_name"),
    ({"child_name": "Bé", "birth_date": "01/03/2026"}, "birth_date"),
])
def test_bad_form_is_refused(procedure, citizen, commune_a, form, field):
    error = refused(InvalidInput, **good(procedure, citizen, commune_a, form_data=form))
    assert field in error.fields


def test_missing_required_component_is_refused(procedure, citizen, commune_a):
    files = component_files(procedure)
    files.pop(next(iter(files)))
    error = refused(InvalidInput, **good(procedure, citizen, commune_a, files=files))
    assert len(error.fields) == 1


def test_file_for_a_component_of_another_procedure_is_refused(procedure, citizen, commune_a):
    files = {**component_files(procedure), "999999": pdf()}
    error = refused(InvalidInput, **good(procedure, citizen, commune_a, files=files))
    assert "component_999999" in error.fields


def _with_bad_first(procedure, bad):
    files = component_files(procedure)
    files[next(iter(files))] = bad
    return files


def test_empty_file_is_refused(procedure, citizen, commune_a):
    refused(InvalidInput, **good(procedure, citizen, commune_a,
                                 files=_with_bad_first(procedure, empty_pdf())))


def test_file_too_large_is_refused(procedure, citizen, commune_a, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    refused(InvalidInput, **good(procedure, citizen, commune_a,
                                 files=_with_bad_first(procedure, big_pdf(1001))))
    d = online(**good(procedure, citizen, commune_a,
                      files=_with_bad_first(procedure, big_pdf(1000))))
    assert d.files.filter(size=1000).count() == 1


@pytest.mark.parametrize("index", range(3))
def test_file_disguised_by_name_is_refused(procedure, citizen, commune_a, index):
    bad = disguised_files()[index]
    error = refused(InvalidInput, **good(procedure, citizen, commune_a,
                                         files=_with_bad_first(procedure, bad)))
    assert "không phải PDF" in next(iter(error.fields.values()))[0]


def test_png_is_accepted_by_its_content(procedure, citizen, commune_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import PNG_BYTES

    scan = SimpleUploadedFile("scan.bin", PNG_BYTES, content_type="application/octet-stream")
    d = online(**good(procedure, citizen, commune_a, files=_with_bad_first(procedure, scan)))
    assert DossierFile.objects.filter(dossier=d, content_type="image/png").count() == 1


# -- submit_at_counter ----------
APPLICANT = {"name": "Lê Văn C", "id_number": "020190009999", "phone": "0912000111",
             "email": "levanc@example.vn", "address": "Thôn 1, xã A"}


def counter(**kwargs):
    return services.submit_at_counter(**{"now": vn(2026, 3, 2, 10, 0), **kwargs})


def at_counter(procedure, officer, agency, **override):
    return {"officer": officer, "procedure": procedure, "agency": agency,
            "applicant": dict(APPLICANT), "form_data": FORM,
            "files": component_files(procedure), **override}


def test_submit_at_counter_receives_at_once(procedure, commune_a, counter_a):
    d = counter(**at_counter(procedure, counter_a, commune_a))
    assert (d.status, d.channel, d.fee_amount) == (Status.RECEIVED, Channel.COUNTER, 8000)
    assert d.applicant is None and d.applicant_name == "Lê Văn C"
    assert d.received_by == counter_a and d.due_at == vn(2026, 3, 5, 10, 0)
    assert events(d) == [("submit", "", "1"), ("receive", "1", "2")]
    assert d.files.count() == 2


def test_submit_by_post_without_receiving(procedure, commune_a, counter_a):
    files = component_files(procedure)
    files.pop(next(iter(files)))  # incomplete: registered, not yet received
    d = counter(**at_counter(procedure, counter_a, commune_a, files=files,
                             channel=Channel.POSTAL, receive_now=False))
    assert (d.status, d.channel, d.received_at) == (Status.NEW, Channel.POSTAL, None)
    assert events(d) == [("submit", "", "1")]


def test_counter_submission_by_a_specialist_is_refused(procedure, commune_a, specialist_a):
    _refused(NotAllowed, counter, **at_counter(procedure, specialist_a, commune_a))


def test_counter_officer_of_another_commune_is_refused(procedure, commune_a, counter_b):
    _refused(NotAllowed, counter, **at_counter(procedure, counter_b, commune_a))


@pytest.mark.parametrize("channel", [Channel.ONLINE, 9])
def test_counter_submission_with_a_wrong_channel_is_refused(procedure, commune_a, counter_a,
                                                            channel):
    error = _refused(InvalidInput, counter,
                     **at_counter(procedure, counter_a, commune_a, channel=channel))
    assert "channel" in error.fields


@pytest.mark.parametrize(("change", "field"), [
    ({"name": " "}, "applicant_name"),
    ({"name": "A" * 151}, "applicant_name"),
    ({"id_number": ""}, "applicant_id_number"),
    ({"id_number": "02019000123x"}, "applicant_id_number"),
    ({"id_number": "ABC123"}, "applicant_id_number"),
    ({"id_number": "010123456700123"}, "applicant_id_number"),
    ({"email": "not-an-email"}, "applicant_email"),
    ({"phone": "0" * 16}, "applicant_phone"),
    ({"language": "fr"}, "language"),
])
def test_bad_applicant_data_at_the_counter_is_refused(procedure, commune_a, counter_a, change,
                                                      field):
    data = at_counter(procedure, counter_a, commune_a)
    data["applicant"].update(change)
    error = _refused(InvalidInput, counter, **data)
    assert field in error.fields


def test_tax_code_of_a_business_is_accepted_at_the_counter(procedure, commune_a, counter_a):
    data = at_counter(procedure, counter_a, commune_a)
    data["applicant"]["id_number"] = "0101234567-001"
    assert counter(**data).applicant_id_number == "0101234567-001"


def test_counter_submission_missing_a_component_is_refused_when_received_now(
        procedure, commune_a, counter_a):
    files = component_files(procedure)
    files.pop(next(iter(files)))
    _refused(InvalidInput, counter, **at_counter(procedure, counter_a, commune_a, files=files))


# -- the dossier code ----------
def test_code_format_daily_reset_and_per_unit(procedure, citizen, commune_a, commune_b):
    first = submit(procedure, citizen, commune_a, now=vn(2026, 3, 2, 9))
    second = submit(procedure, citizen, commune_a, now=vn(2026, 3, 2, 16))
    other_unit = submit(procedure, citizen, commune_b, now=vn(2026, 3, 2, 16))
    next_day = submit(procedure, citizen, commune_a, now=vn(2026, 3, 3, 8))
    assert [first.code, second.code, other_unit.code, next_day.code] == [
        "000.01.37.H37-260302-0001", "000.01.37.H37-260302-0002",
        "000.02.37.H37-260302-0001", "000.01.37.H37-260303-0001"]
    assert all(re.fullmatch(r"[0-9A-Z.]+-\d{6}-\d{4}", d.code)
               for d in (first, second, other_unit, next_day))


def test_code_day_is_the_vietnam_day(procedure, citizen, commune_a):
    late_evening = dt.datetime(2026, 3, 2, 16, 30, tzinfo=dt.UTC)  # 23:30 in Hanoi
    after_midnight = dt.datetime(2026, 3, 2, 17, 30, tzinfo=dt.UTC)  # 00:30 on 3 March
    assert submit(procedure, citizen, commune_a, now=late_evening).code.endswith("260302-0001")
    assert submit(procedure, citizen, commune_a, now=after_midnight).code.endswith("260303-0001")


def test_a_refused_submission_does_not_use_a_number(procedure, citizen, commune_a):
    refused(InvalidInput, **good(procedure, citizen, commune_a, form_data={}))
    assert submit(procedure, citizen, commune_a).code.endswith("-0001")


def test_a_fee_refusal_writes_no_file_and_takes_no_number(citizen, procedure, commune_a):
    version = procedure.version_on()
    version.form_fields.create(order=3, key="pages", label="Số trang", type="number")
    FeeRule.objects.create(version=version, order=1, description="Theo trang",
                           quantity_field="pages", amount=2000)
    before = files_on_disk()
    with pytest.raises(InvalidInput):
        online(applicant=citizen, procedure=procedure, form_data={**FORM, "pages": "-3"},
               files=component_files(procedure), agency=commune_a)
    assert files_on_disk() == before
    d = online(applicant=citizen, procedure=procedure, form_data={**FORM, "pages": "3"},
               files=component_files(procedure), agency=commune_a)
    assert d.code.endswith("-0001") and d.fee_amount == 6000
