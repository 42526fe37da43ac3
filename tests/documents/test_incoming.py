"""Incoming documents: electronic and paper registration, checks, assignment, processing."""

import datetime as dt

import pytest
from django.utils import timezone

from digigov.core.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from digigov.documents import selectors, services
from digigov.documents.models import IncomingDocument, IncomingStatus, SenderNotice
from digigov.signing import services as signing
from tests.signing.sample_pdf import one_page_pdf

from .conftest import clear

pytestmark = pytest.mark.django_db


def electronic(recipient, **changes):
    values = {
        "recipient": recipient, "sender_code": "000.00.00.H37", "sender_name": "UBND tỉnh",
        "document_id": "000.00.00.H37,2026/03/02,15/UBND-VP", "number": "15",
        "notation": "UBND-VP", "issued_on": dt.date(2026, 3, 2), "place": "Lạng Sơn",
        "type_code": "CV", "subject": "Triển khai chuyển đổi số năm 2026",
        "body": "Đề nghị các xã triển khai.", "signer_name": "Nguyễn Văn Tỉnh",
        "signer_position": "Chủ tịch", "signer_authority": "TM. Ủy ban nhân dân",
        "due_on": None, "priority": 1, "business_type": 0,
        "attachments": [("van-ban.pdf", "application/pdf", one_page_pdf("Chuyen doi so"))],
        "signatures_valid": True,
    }
    values.update(changes)
    return services.register_incoming_electronic(**values)


def paper(clerk, recipient, **changes):
    values = {"actor": clerk, "recipient": recipient, "sender_name": "Sở Tư pháp",
              "number": "120", "notation": "STP-HCTP", "issued_on": dt.date(2026, 3, 1),
              "type_code": "cong_van", "subject": "Hướng dẫn đăng ký hộ tịch",
              "scan": ("scan.pdf", "application/pdf", one_page_pdf("Huong dan ho tich")),
              "ocr": False}
    values.update(changes)
    return services.register_incoming_paper(**values)


def test_electronic_registration_is_numbered_and_notifies_the_sender(commune_a):
    document = electronic(commune_a)
    assert (document.incoming_number, document.status) == (1, IncomingStatus.REGISTERED)
    assert document.urgency == "khan"
    assert document.type_code == "cong_van"
    assert document.signatures_valid is True
    notice = SenderNotice.objects.get(document=document)
    assert (notice.status, notice.sender_code) == ("03", "000.00.00.H37")
    assert notice.at.astimezone(services.VN).date() == timezone.now().astimezone(
        services.VN).date()
    assert "chuyen doi so" in document.search_text


def test_electronic_duplicate_returns_the_same_record(commune_a):
    first = electronic(commune_a)
    again = electronic(commune_a)
    assert again.pk == first.pk
    assert IncomingDocument.objects.count() == 1


def test_same_number_from_the_same_sender_is_refused(commune_a):
    electronic(commune_a)
    with pytest.raises(InvalidInput) as exc:
        electronic(commune_a, document_id="000.00.00.H37,2026/03/02,15/UBND-VP#2")
    assert exc.value.code == "duplicate"
    assert "15/UBND-VP" in str(exc.value.message)


def test_revoke_update_replace(commune_a):
    first = electronic(commune_a)
    updated = electronic(commune_a, business_type=2, subject="Triển khai chuyển đổi số (sửa)",
                         attachments=[("phu-luc.pdf", "application/pdf", one_page_pdf("PL"))])
    assert updated.pk == first.pk
    assert updated.subject.endswith("(sửa)")
    assert updated.attachments.count() == 2
    replacement = electronic(commune_a, business_type=3, subject="Văn bản thay thế")
    first.refresh_from_db()
    assert first.status == IncomingStatus.REPLACED
    assert replacement.replaces_id == first.pk
    assert replacement.incoming_number == 2
    assert electronic(commune_a, business_type=3, subject="Văn bản thay thế").pk == \
        replacement.pk
    revoked = electronic(commune_a, business_type=1, body="Ban hành nhầm")
    assert revoked.pk == replacement.pk and revoked.status == IncomingStatus.REVOKED
    assert SenderNotice.objects.filter(document=revoked, status="15").exists()
    with pytest.raises(NotFound):
        electronic(commune_a, business_type=1, document_id="khong-co")


def test_electronic_refusals(commune_a, ca, commune_b):
    with pytest.raises(InvalidInput):
        electronic(commune_a, signatures_valid=False)
    with pytest.raises(InvalidInput):
        electronic(commune_a, document_id="")
    with pytest.raises(InvalidInput):
        electronic(commune_a, business_type=7)
    with pytest.raises(InvalidInput):
        electronic(commune_a, subject="")
    # A signed PDF changed after signing: integrity fails, nothing is registered.
    signing.issue_credential(agency=commune_b)
    signed = signing.sign_pdf(one_page_pdf("Noi dung goc"), agency=commune_b)
    tampered = signed.replace(b"Noi dung goc", b"Noi dung sua")
    with pytest.raises(InvalidInput) as exc:
        electronic(commune_a, attachments=[("vb.pdf", "application/pdf", tampered)])
    assert exc.value.code == "integrity_failed"
    assert not IncomingDocument.objects.exists()
    document = electronic(commune_a, attachments=[("vb.pdf", "application/pdf", signed)])
    assert document.signatures_valid is True
    assert document.verification[0]["verdict"] == "valid"


def test_paper_registration_by_the_clerk(clerk_a, commune_a):
    document = paper(clerk_a, commune_a)
    assert document.source == IncomingDocument.Source.PAPER
    assert document.incoming_number == 1
    assert document.signatures_valid is None
    assert "huong dan ho tich" in document.search_text
    assert paper(clerk_a, commune_a, number="121").incoming_number == 2


def test_paper_refusals(clerk_a, specialist_a, commune_a):
    with pytest.raises(NotAllowed):
        paper(specialist_a, commune_a)
    with pytest.raises(InvalidInput):
        paper(clerk_a, commune_a, scan=("a.doc", "application/msword", b"PK\x03\x04"))
    with pytest.raises(InvalidInput):
        paper(clerk_a, commune_a, scan=None)
    with pytest.raises(InvalidInput):
        paper(clerk_a, commune_a, issued_on=dt.date.today() + dt.timedelta(days=30))
    with pytest.raises(InvalidInput):
        paper(clerk_a, commune_a, sender_code="sai ma")
    paper(clerk_a, commune_a)
    with pytest.raises(InvalidInput) as exc:  # same number, notation, issuer
        paper(clerk_a, commune_a, sender_name="SỞ TƯ PHÁP")
    assert exc.value.code == "duplicate"
    with pytest.raises(NotAllowed):
        paper(clerk_a, commune_a, number="9", secrecy="mat")


def test_secret_incoming_has_its_own_series(clerk_a, commune_a):
    clear(clerk_a, commune_a, "toi_mat")
    paper(clerk_a, commune_a)
    secret = paper(clerk_a, commune_a, number="7", secrecy="mat")
    assert (secret.series, secret.incoming_number) == ("den_mat", 1)


def test_assign_process_complete(clerk_a, leader_a, specialist_a, office_a, commune_a):
    document = paper(clerk_a, commune_a, sender_code="000.00.00.H37")
    services.assign(document, actor=leader_a, working_days=3, directions="Xử lý gấp",
                    targets=[{"person": specialist_a, "role": "main"},
                             {"unit": office_a, "role": "support"}])
    document.refresh_from_db()
    assert document.status == IncomingStatus.ASSIGNED
    from digigov.worktime.calendar import WorkCalendar

    assert document.deadline == WorkCalendar.load().add_working_days(services._today(), 3)
    assert "chuyenvien.a" in document.handled_by and document.passed_on_at
    services.start_processing(document, actor=specialist_a)
    services.add_note(document, actor=specialist_a, kind="progress", text="Đang dự thảo")
    services.add_note(document, actor=leader_a, kind="follow_up", text="Đề nghị khẩn trương")
    services.complete(document, actor=specialist_a, result="Đã trả lời bằng công văn")
    document.refresh_from_db()
    assert document.status == IncomingStatus.COMPLETED
    assert list(document.sender_notices.values_list("status", flat=True)) == [
        "03", "04", "05", "06"]
    with pytest.raises(InvalidTransition):
        services.add_note(document, actor=leader_a, kind="opinion", text="Muộn")


def test_assignment_and_processing_refusals(clerk_a, leader_a, specialist_a, leader_b,
                                            commune_a, commune_b, counter_a):
    document = paper(clerk_a, commune_a)
    with pytest.raises(NotAllowed):
        services.assign(document, actor=specialist_a, targets=[{"person": specialist_a}])
    with pytest.raises(InvalidInput):
        services.assign(document, actor=leader_a, targets=[])
    with pytest.raises(InvalidInput):
        services.assign(document, actor=leader_a, targets=[{"unit": commune_b}])
    with pytest.raises(InvalidInput):
        services.assign(document, actor=leader_a, targets=[{"person": leader_b}])
    with pytest.raises(InvalidInput):
        services.assign(document, actor=leader_a, targets=[{"person": specialist_a}],
                        deadline=dt.date(2020, 1, 1))
    with pytest.raises(NotAllowed):
        services.start_processing(document, actor=specialist_a)
    services.assign(document, actor=leader_a, targets=[{"person": specialist_a}])
    with pytest.raises(NotAllowed):
        services.add_note(document, actor=counter_a, kind="opinion", text="?")
    with pytest.raises(NotAllowed):
        services.add_note(document, actor=specialist_a, kind="follow_up", text="?")
    with pytest.raises(InvalidInput):
        services.complete(document, actor=specialist_a, result="")


def test_secret_document_is_assigned_only_to_cleared_people(clerk_a, leader_a, specialist_a,
                                                            commune_a):
    clear(clerk_a, commune_a, "mat")
    document = paper(clerk_a, commune_a, secrecy="mat")
    with pytest.raises(NotAllowed):  # the leader is not cleared
        services.assign(document, actor=leader_a, targets=[{"person": specialist_a}])
    clear(leader_a, commune_a, "tuyet_mat")
    with pytest.raises(InvalidInput):
        services.assign(document, actor=leader_a, targets=[{"person": specialist_a}])
    clear(specialist_a, commune_a, "mat")
    services.assign(document, actor=leader_a, targets=[{"person": specialist_a}])


def test_overdue_flag_and_list(clerk_a, leader_a, specialist_a, commune_a, monkeypatch):
    document = paper(clerk_a, commune_a)
    services.assign(document, actor=leader_a, targets=[{"person": specialist_a}],
                    deadline=services._today())
    assert not selectors.overdue(leader_a).exists()
    IncomingDocument.objects.filter(pk=document.pk).update(
        deadline=services._today() - dt.timedelta(days=1))
    document.refresh_from_db()
    assert document.is_overdue
    assert list(selectors.overdue(leader_a)) == [document]
    assert list(selectors.incoming(specialist_a, selectors.Filters(status="overdue"))) == [
        document]
