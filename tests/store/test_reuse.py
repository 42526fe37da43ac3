"""Once-only through the services: linking stored papers, refusals, the usage log, supplements."""

import pytest

from digigov.core.errors import InvalidInput
from digigov.dossiers import services
from digigov.dossiers.models import DossierFile, Status, SupplementRequest
from digigov.store import services as store
from digigov.store.models import AppendOnly, PaperUse
from tests.conftest import FORM, component_files, pdf
from tests.dossiers.support import SUBMITTED, files_on_disk

from .conftest import TODAY, make_paper, store_state


def files_without(procedure, component):
    files = component_files(procedure)
    files.pop(str(component.pk))
    return files


def submit_reusing(procedure, citizen, agency, component, paper, **kwargs):
    return services.submit_online(
        applicant=citizen, procedure=procedure, form_data=FORM,
        files=files_without(procedure, component), agency=agency,
        reuse={str(component.pk): paper}, now=SUBMITTED, **kwargs)


def refused_reuse(call, **kwargs) -> InvalidInput:
    before = store_state()
    with pytest.raises(InvalidInput) as info:
        call(**kwargs)
    assert store_state() == before
    return info.value


def test_papers_for_reuse_are_valid_papers_of_the_components_kind(
        citizen, reusable_component, paper, expired_paper, foreign_paper, id_kind):
    make_paper(citizen, id_kind, title="Căn cước")
    assert list(store.papers_for_reuse(citizen, reusable_component, on=TODAY)) == [paper]
    # A component without a declared kind offers nothing.
    other = reusable_component.version.components.get(order=1)
    assert not store.papers_for_reuse(citizen, other, on=TODAY).exists()


def test_reused_component_is_linked_not_copied(procedure, citizen, commune_a,
                                               reusable_component, paper):
    on_disk = files_on_disk()
    dossier = submit_reusing(procedure, citizen, commune_a, reusable_component, paper)
    linked = dossier.files.get(component=reusable_component)
    assert linked.is_reused and linked.reused_from == paper
    assert linked.file.name == paper.file.name
    assert (linked.sha256, linked.size, linked.content_type) == (
        paper.sha256, paper.size, paper.content_type)
    # Only the one uploaded component was written to storage; the stored paper was not copied.
    assert len(files_on_disk()) == len(on_disk) + 1
    uploaded = dossier.files.exclude(component=reusable_component).get()
    assert not uploaded.is_reused and uploaded.reused_from is None
    use = PaperUse.objects.get()
    assert (use.paper, use.dossier, use.agency, use.how, use.used_at) == (
        paper, dossier, commune_a, PaperUse.How.ONLINE, SUBMITTED)


def test_reused_component_counts_as_supplied_at_reception(procedure, citizen, commune_a,
                                                          counter_a, reusable_component, paper):
    dossier = submit_reusing(procedure, citizen, commune_a, reusable_component, paper)
    received = services.receive(officer=counter_a, dossier=dossier, now=SUBMITTED)
    assert received.status == Status.RECEIVED


def test_another_users_paper_is_refused_as_not_found(procedure, citizen, commune_a,
                                                     reusable_component, foreign_paper):
    error = refused_reuse(submit_reusing, procedure=procedure, citizen=citizen,
                          agency=commune_a, component=reusable_component, paper=foreign_paper)
    assert error.fields == {f"component_{reusable_component.pk}": [
        "Không tìm thấy giấy tờ này trong kho dữ liệu của người nộp."]}


def test_expired_paper_is_refused(procedure, citizen, commune_a, reusable_component,
                                  expired_paper):
    error = refused_reuse(submit_reusing, procedure=procedure, citizen=citizen,
                          agency=commune_a, component=reusable_component, paper=expired_paper)
    assert "đã hết hiệu lực ngày 01/02/2026" in error.fields[
        f"component_{reusable_component.pk}"][0]


def test_paper_of_another_kind_is_refused(procedure, citizen, commune_a, reusable_component,
                                          id_kind):
    id_card = make_paper(citizen, id_kind, title="Căn cước")
    error = refused_reuse(submit_reusing, procedure=procedure, citizen=citizen,
                          agency=commune_a, component=reusable_component, paper=id_card)
    assert "không phải loại" in error.fields[f"component_{reusable_component.pk}"][0]


def test_reuse_beside_an_upload_of_the_same_component_is_refused(
        procedure, citizen, commune_a, reusable_component, paper):
    error = refused_reuse(
        services.submit_online, applicant=citizen, procedure=procedure, form_data=FORM,
        files=component_files(procedure), agency=commune_a,
        reuse={str(reusable_component.pk): paper}, now=SUBMITTED)
    assert list(error.fields) == [f"component_{reusable_component.pk}"]


def test_required_component_neither_uploaded_nor_reused_is_missing(
        procedure, citizen, commune_a, reusable_component):
    error = refused_reuse(
        services.submit_online, applicant=citizen, procedure=procedure, form_data=FORM,
        files=files_without(procedure, reusable_component), agency=commune_a, now=SUBMITTED)
    assert f"component_{reusable_component.pk}" in error.fields


def test_counter_officer_reuses_the_paper_of_the_declared_id_number(
        procedure, citizen, commune_a, counter_a, reusable_component, paper):
    dossier = services.submit_at_counter(
        officer=counter_a, procedure=procedure, agency=commune_a,
        applicant={"name": "Nguyễn Văn A", "id_number": citizen.personal_id}, form_data=FORM,
        files=files_without(procedure, reusable_component),
        reuse={str(reusable_component.pk): paper}, now=SUBMITTED)
    assert dossier.status == Status.RECEIVED
    assert dossier.files.get(component=reusable_component).reused_from == paper
    assert PaperUse.objects.get().how == PaperUse.How.COUNTER


def test_counter_officer_cannot_reuse_a_paper_of_someone_else(
        procedure, citizen, commune_a, counter_a, reusable_component, paper):
    error = refused_reuse(
        services.submit_at_counter, officer=counter_a, procedure=procedure, agency=commune_a,
        applicant={"name": "Lê Văn C", "id_number": "020190009999"}, form_data=FORM,
        files=files_without(procedure, reusable_component),
        reuse={str(reusable_component.pk): paper}, now=SUBMITTED)
    assert f"component_{reusable_component.pk}" in error.fields


def test_usage_log_is_append_only(procedure, citizen, commune_a, reusable_component, paper):
    submit_reusing(procedure, citizen, commune_a, reusable_component, paper)
    use = PaperUse.objects.get()
    use.how = PaperUse.How.COUNTER
    with pytest.raises(AppendOnly):
        use.save()
    with pytest.raises(AppendOnly):
        use.delete()
    assert PaperUse.objects.get().how == PaperUse.How.ONLINE


# -- supplement requests ------------------------------------------------------------
@pytest.fixture
def reused_dossier(procedure, citizen, commune_a, counter_a, reusable_component, paper):
    dossier = submit_reusing(procedure, citizen, commune_a, reusable_component, paper)
    return services.receive(officer=counter_a, dossier=dossier, now=SUBMITTED)


def test_supplement_naming_a_reused_component_is_refused(reused_dossier, counter_a,
                                                         reusable_component):
    error = refused_reuse(services.request_supplement, official=counter_a,
                          dossier=reused_dossier, reason="Thiếu giấy tờ",
                          components=[reusable_component.pk], now=SUBMITTED)
    assert "kho dữ liệu điện tử của người nộp" in str(error.message)
    assert list(error.fields) == ["components"]


def test_supplement_naming_a_reused_component_in_free_text_is_refused(
        reused_dossier, counter_a, reusable_component):
    error = refused_reuse(services.request_supplement, official=counter_a,
                          dossier=reused_dossier, reason="Thiếu giấy tờ",
                          items=["Bản chụp rõ hơn", " giấy CHỨNG SINH "], now=SUBMITTED)
    assert list(error.fields) == ["items"]


def test_supplement_may_name_other_components(reused_dossier, counter_a, reusable_component):
    declaration = reusable_component.version.components.get(order=1)
    dossier = services.request_supplement(
        official=counter_a, dossier=reused_dossier, reason="Tờ khai thiếu chữ ký",
        components=[declaration.pk], items=["Bản sao sổ hộ khẩu"], now=SUBMITTED)
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    assert SupplementRequest.objects.get().items == [declaration.name, "Bản sao sổ hộ khẩu"]


def test_supplement_component_of_another_procedure_is_refused(reused_dossier, counter_a):
    error = refused_reuse(services.request_supplement, official=counter_a,
                          dossier=reused_dossier, reason="Thiếu", components=[999999],
                          now=SUBMITTED)
    assert list(error.fields) == ["components"]


def test_supplement_without_reuse_keeps_its_free_text_items(procedure, citizen, commune_a,
                                                            counter_a):
    dossier = services.submit_online(applicant=citizen, procedure=procedure, form_data=FORM,
                                     files=component_files(procedure), agency=commune_a,
                                     now=SUBMITTED)
    services.request_supplement(official=counter_a, dossier=dossier, reason="Thiếu",
                                items=["Giấy chứng sinh"], now=SUBMITTED)
    assert SupplementRequest.objects.get().items == ["Giấy chứng sinh"]
    assert not DossierFile.objects.filter(is_reused=True).exists()


def test_uploaded_paper_can_be_reused_later(procedure, citizen, commune_a, reusable_component,
                                            birth_kind):
    paper = store.upload_paper(owner=citizen, kind=birth_kind, upload=pdf("cs.pdf"))
    dossier = submit_reusing(procedure, citizen, commune_a, reusable_component, paper)
    assert dossier.files.filter(is_reused=True).count() == 1
