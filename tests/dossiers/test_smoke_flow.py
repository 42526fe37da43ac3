from digigov.dossiers import services
from digigov.dossiers.models import Status
from tests.conftest import FORM, component_files, vn


def test_online_dossier_walks_from_submission_to_result(procedure, commune_a, citizen, counter_a,
                                                        specialist_a, leader_a):
    d = services.submit_online(applicant=citizen, procedure=procedure, form_data=FORM,
                               files=component_files(procedure), agency=commune_a,
                               now=vn(2026, 3, 2, 9, 0))
    assert d.code == "000.01.37.H37-260302-0001"
    d = services.receive(officer=counter_a, dossier=d, now=vn(2026, 3, 2, 10, 0))
    assert d.status == Status.RECEIVED
    assert d.due_at == vn(2026, 3, 5, 10, 0)
    d = services.hand_over(official=counter_a, dossier=d, to_user=specialist_a,
                           now=vn(2026, 3, 2, 11, 0))
    d = services.hand_over(official=specialist_a, dossier=d, to_user=leader_a,
                           now=vn(2026, 3, 3, 11, 0))
    d = services.complete(official=leader_a, dossier=d, result_summary="Cấp giấy khai sinh",
                          now=vn(2026, 3, 4, 9, 0))
    assert d.status == Status.PROCESSED and d.timeliness == "early"
    d = services.return_result(officer=counter_a, dossier=d, now=vn(2026, 3, 4, 10, 0))
    assert d.status == Status.RETURNED
    assert [r.timeliness for r in d.step_records.all()] == ["on_time", "on_time", "on_time"]
