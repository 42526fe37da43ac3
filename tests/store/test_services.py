"""Filing results and digitised components, owners' uploads and share links."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from digigov.audit.models import AuditEvent
from digigov.core.errors import InvalidInput, NotAllowed, NotFound
from digigov.dossiers import services
from digigov.store import services as store
from digigov.store.models import Source, StoredPaper
from tests.conftest import FORM, PDF_BYTES, component_files, pdf
from tests.dossiers.support import SUBMITTED, files_on_disk

from .conftest import store_state


@pytest.fixture
def dossier(procedure, citizen, commune_a):
    return services.submit_online(applicant=citizen, procedure=procedure, form_data=FORM,
                                  files=component_files(procedure), agency=commune_a,
                                  now=SUBMITTED)


@pytest.fixture
def counter_dossier(procedure, commune_a, counter_a):
    """Registered at the counter for an applicant without an account."""
    return services.submit_at_counter(
        officer=counter_a, procedure=procedure, agency=commune_a,
        applicant={"name": "Nguyễn Văn A", "id_number": "020190001234"}, form_data=FORM,
        files=component_files(procedure), now=SUBMITTED)


# -- results ------------------------------------------------------------
def test_store_result_files_the_result_for_the_applicant(dossier, citizen, commune_a,
                                                         result_kind, leader_a):
    paper = store.store_result(dossier, PDF_BYTES, number="123/2026", actor=leader_a,
                               issued_on=dt.date(2026, 3, 4))
    paper.refresh_from_db()
    assert paper.owner == citizen and paper.kind == result_kind.kind
    assert paper.source == Source.RESULT and paper.dossier == dossier
    assert (paper.issuer_name, paper.issuer_code) == (commune_a.name, commune_a.code)
    assert paper.title == "Giấy khai sinh"  # the procedure's result type
    assert (paper.number, paper.issued_on, paper.valid_until) == (
        "123/2026", dt.date(2026, 3, 4), None)
    assert paper.content_type == "application/pdf" and paper.size == len(PDF_BYTES)
    with paper.file.open("rb") as handle:
        assert handle.read() == PDF_BYTES
    # No personal data in the storage path: the owner's UUID and a random name.
    assert paper.file.name.startswith(f"store/{citizen.uuid}/")
    assert "ket-qua" not in paper.file.name
    event = AuditEvent.objects.get(action="store_paper")
    assert event.actor == leader_a and event.data["dossier"] == dossier.code


def test_store_result_finds_the_owner_by_id_number(counter_dossier, citizen, result_kind):
    assert counter_dossier.applicant is None
    assert store.store_result(counter_dossier, PDF_BYTES).owner == citizen


def test_store_result_without_an_account_to_own_it_stores_nothing(counter_dossier,
                                                                  result_kind):
    counter_dossier.applicant_id_number = "020190009999"
    assert store.store_result(counter_dossier, PDF_BYTES) is None
    assert not StoredPaper.objects.exists()


def test_store_result_needs_the_result_kind(dossier):
    before = store_state()
    with pytest.raises(InvalidInput) as info:
        store.store_result(dossier, PDF_BYTES)
    assert "chưa khai báo loại giấy tờ của kết quả" in str(info.value.message)
    assert store_state() == before


def test_store_result_refuses_content_that_is_not_a_document(dossier, result_kind):
    before = store_state()
    with pytest.raises(InvalidInput):
        store.store_result(dossier, b"#!/bin/sh\necho hi\n")
    assert store_state() == before


# -- digitised components ------------------------------------------------------------
def test_store_digitised_shares_the_dossier_files_storage(dossier, citizen, commune_a,
                                                          reusable_component, counter_a):
    dossier_file = dossier.files.get(component=reusable_component)
    on_disk = files_on_disk()
    paper = store.store_digitised(dossier_file, number="CS-1", actor=counter_a)
    assert paper.owner == citizen and paper.kind == reusable_component.paper_kind_link.kind
    assert paper.source == Source.DIGITISED and paper.dossier == dossier
    assert paper.file.name == dossier_file.file.name and paper.sha256 == dossier_file.sha256
    assert paper.title == reusable_component.name
    assert paper.issuer_code == commune_a.code
    assert files_on_disk() == on_disk
    # Filing the same component again returns the first record.
    assert store.store_digitised(dossier_file) == paper
    assert StoredPaper.objects.count() == 1


def test_store_digitised_needs_a_kind(dossier):
    dossier_file = dossier.files.get(component__order=1)
    with pytest.raises(InvalidInput):
        store.store_digitised(dossier_file)
    assert not StoredPaper.objects.exists()


def test_store_digitised_of_a_reused_file_is_its_stored_paper(procedure, citizen, commune_a,
                                                              reusable_component, paper):
    files = component_files(procedure)
    files.pop(str(reusable_component.pk))
    dossier = services.submit_online(applicant=citizen, procedure=procedure, form_data=FORM,
                                     files=files, agency=commune_a,
                                     reuse={str(reusable_component.pk): paper}, now=SUBMITTED)
    assert store.store_digitised(dossier.files.get(is_reused=True)) == paper
    assert StoredPaper.objects.count() == 1


# -- owners' uploads ------------------------------------------------------------
def test_owner_uploads_a_paper(citizen, id_kind):
    paper = store.upload_paper(owner=citizen, kind=id_kind, upload=pdf("cccd.pdf"),
                               title="Căn cước", number="020190001234",
                               issued_on=dt.date(2021, 5, 1), valid_until=dt.date(2036, 5, 1))
    assert paper.source == Source.UPLOADED and paper.owner == citizen
    assert paper.original_name == "cccd.pdf" and paper.is_valid


def test_upload_with_a_wrong_content_type_is_refused(citizen, id_kind):
    fake = SimpleUploadedFile("cccd.pdf", b"plain text, not a PDF", content_type="application/pdf")
    before = store_state()
    with pytest.raises(InvalidInput) as info:
        store.upload_paper(owner=citizen, kind=id_kind, upload=fake)
    assert list(info.value.fields) == ["file"]
    assert store_state() == before


def test_upload_with_expiry_before_issue_is_refused(citizen, id_kind):
    with pytest.raises(InvalidInput) as info:
        store.upload_paper(owner=citizen, kind=id_kind, upload=pdf(),
                           issued_on=dt.date(2026, 1, 2), valid_until=dt.date(2026, 1, 1))
    assert list(info.value.fields) == ["valid_until"]
    assert not StoredPaper.objects.exists()


def test_officials_have_no_store_of_their_own(counter_a, id_kind):
    with pytest.raises(NotAllowed):
        store.upload_paper(owner=counter_a, kind=id_kind, upload=pdf())


# -- share links ------------------------------------------------------------
def test_share_link_opens_the_paper_until_it_expires(citizen, paper):
    now = timezone.now()
    token, expires = store.share_token(owner=citizen, paper=paper, days=3, now=now)
    assert expires == (now + dt.timedelta(days=3)).replace(microsecond=0)
    assert store.shared_paper(token, now=now + dt.timedelta(days=2, hours=23))[0] == paper
    with pytest.raises(NotFound) as info:
        store.shared_paper(token, now=now + dt.timedelta(days=3, seconds=1))
    assert "hết hạn" in str(info.value.message)


def test_share_link_is_the_shared_page(citizen, paper):
    path, expires = store.share_link(owner=citizen, paper=paper, days=1)
    token = path.removeprefix("/kho-du-lieu/chia-se/").strip("/")
    assert store.shared_paper(token) == (paper, expires)


def test_forged_share_token_opens_nothing(citizen, paper):
    token, _expires = store.share_token(owner=citizen, paper=paper)
    for forged in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "abc", ""):
        with pytest.raises(NotFound):
            store.shared_paper(forged)


def test_only_the_owner_shares_and_within_limits(other_citizen, citizen, paper):
    with pytest.raises(NotFound):
        store.share_token(owner=other_citizen, paper=paper)
    for days in (0, 31, True):
        with pytest.raises(InvalidInput):
            store.share_token(owner=citizen, paper=paper, days=days)
