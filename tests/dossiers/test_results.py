"""Issuing the electronic result: rendered, signed twice, registered, filed in the store."""

import hashlib
import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from digigov.accounts.models import ApiToken
from digigov.audit.models import AuditEvent
from digigov.core.errors import DomainError, InvalidTransition, NotAllowed
from digigov.dossiers import results, services
from digigov.dossiers.models import Status
from digigov.signing import services as signing
from digigov.signing.models import IssuedDocument
from digigov.store.models import PaperKind, ResultKind, StoredPaper
from tests.api.conftest import ApiClient, assert_problem
from tests.conftest import FORM, PASSWORD, component_files, vn


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIGNING_TSA_URL = ""


@pytest.fixture
def credentials(db, commune_a, leader_a):
    signing.create_local_ca("CA thử nghiệm digigov")
    signing.issue_credential(agency=commune_a)
    signing.issue_credential(officer=leader_a)


@pytest.fixture
def processed(procedure, commune_a, citizen, counter_a, specialist_a, leader_a):
    ResultKind.objects.create(procedure=procedure,
                              kind=PaperKind.objects.get(code="giay-khai-sinh"))
    d = services.submit_online(applicant=citizen, procedure=procedure, form_data=FORM,
                               files=component_files(procedure), agency=commune_a,
                               now=vn(2026, 3, 2, 9, 0))
    d = services.receive(officer=counter_a, dossier=d, now=vn(2026, 3, 2, 10, 0))
    d = services.hand_over(official=counter_a, dossier=d, to_user=specialist_a,
                           now=vn(2026, 3, 2, 11, 0))
    d = services.hand_over(official=specialist_a, dossier=d, to_user=leader_a,
                           now=vn(2026, 3, 3, 11, 0))
    return services.complete(official=leader_a, dossier=d, result_summary="Cấp giấy khai sinh",
                             now=vn(2026, 3, 4, 9, 0))


def test_leader_issues_a_signed_result_filed_in_the_applicants_store(credentials, processed,
                                                                     leader_a, citizen):
    issued = results.issue_electronic_result(official=leader_a, dossier=processed,
                                             number="15/TLKS")
    document = IssuedDocument.objects.get(pk=issued.pk)
    signed = document.file.read()
    assert hashlib.sha256(signed).hexdigest() == document.sha256
    reader = PdfFileReader(io.BytesIO(signed))
    assert len(reader.embedded_signatures) == 2  # the leader's, then the agency's
    for sig in reader.embedded_signatures:
        assert validate_pdf_signature(sig).intact
    paper = StoredPaper.objects.get(owner=citizen, dossier=processed)
    assert paper.kind.code == "giay-khai-sinh" and paper.number == "15/TLKS"
    paper.file.open("rb")
    assert paper.file.read() == signed
    assert AuditEvent.objects.filter(object_id=processed.code, action="issue_result").count() == 1


def test_result_is_issued_once_and_only_by_a_leader_of_the_unit(credentials, processed,
                                                               leader_a, counter_a):
    with pytest.raises(NotAllowed):
        results.issue_electronic_result(official=counter_a, dossier=processed)
    results.issue_electronic_result(official=leader_a, dossier=processed)
    with pytest.raises(InvalidTransition):
        results.issue_electronic_result(official=leader_a, dossier=processed)
    assert IssuedDocument.objects.filter(dossier=processed).count() == 1


def test_no_result_before_processing_is_finished(credentials, procedure, commune_a, citizen,
                                                 leader_a):
    d = services.submit_online(applicant=citizen, procedure=procedure, form_data=FORM,
                               files=component_files(procedure), agency=commune_a)
    with pytest.raises(InvalidTransition):
        results.issue_electronic_result(official=leader_a, dossier=d)
    assert not IssuedDocument.objects.exists() and not StoredPaper.objects.exists()


def test_office_page_issues_and_the_citizen_downloads_and_verifies(client, credentials, processed,
                                                                   leader_a, citizen):
    client.login(username=leader_a.email, password=PASSWORD)
    response = client.post(f"/office/d/{processed.uuid}/act/issue_result/",
                           {"issue_result-number": "16/TLKS"})
    assert response.status_code == 302
    document = IssuedDocument.objects.get(dossier=processed)
    processed.refresh_from_db()
    assert processed.status == Status.PROCESSED  # issuing does not return the result itself

    client.logout()
    client.login(username=citizen.email, password=PASSWORD)
    page = client.get(f"/ho-so/{processed.uuid}/").content.decode()
    paper = StoredPaper.objects.get(owner=citizen, dossier=processed)
    assert f"/kho-du-lieu/giay-to/{paper.uuid}/tai-ve/" in page
    assert f"/xac-thuc/{document.uuid}/" in page
    download = client.get(f"/kho-du-lieu/giay-to/{paper.uuid}/tai-ve/")
    assert b"".join(download.streaming_content) == document.file.read()


def test_missing_certificate_refuses_and_changes_nothing(db, processed, leader_a):
    signing.create_local_ca("CA thử nghiệm digigov")  # no certificate for the leader
    with pytest.raises(DomainError) as refused:
        results.issue_electronic_result(official=leader_a, dossier=processed)
    assert "chứng thư" in str(refused.value).lower()
    assert not IssuedDocument.objects.exists() and not StoredPaper.objects.exists()
    assert not AuditEvent.objects.filter(action="issue_result").exists()


def test_api_issues_the_result_and_shows_it_on_the_dossier(credentials, processed, leader_a,
                                                            counter_a, citizen):
    counter = ApiClient(ApiToken.issue(counter_a, "quầy")[1])
    assert_problem(counter.post(f"/api/v1/dossiers/{processed.code}/issue-result"), 403,
                   "forbidden")
    leader = ApiClient(ApiToken.issue(leader_a, "lãnh đạo")[1])
    response = leader.post(f"/api/v1/dossiers/{processed.code}/issue-result",
                           {"number": "17/TLKS"})
    assert response.status_code == 200
    result = response.json()["electronic_result"]
    document = IssuedDocument.objects.get(dossier=processed)
    assert result["uuid"] == str(document.uuid) and result["number"] == "17/TLKS"
    assert result["sha256"] == document.sha256
    assert result["verification_url"].endswith(f"/xac-thuc/{document.uuid}/")
    mine = ApiClient(ApiToken.issue(citizen, "app")[1]).get(f"/api/v1/dossiers/{processed.code}")
    assert mine.json()["electronic_result"]["uuid"] == str(document.uuid)
    assert_problem(leader.post(f"/api/v1/dossiers/{processed.code}/issue-result"), 409,
                   "invalid_transition")
