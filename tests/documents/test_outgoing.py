"""Outgoing documents: drafting, review chain, numbering, signing and issuing."""

import datetime as dt
import sys
import types

import pytest

from digigov.audit.models import AuditEvent
from digigov.core.errors import InvalidInput, InvalidTransition, NotAllowed
from digigov.documents import kinds, services
from digigov.documents.models import (
    DocumentCounter,
    ExchangeStatus,
    IssuerProfile,
    OutgoingDocument,
    OutgoingStatus,
)
from digigov.signing.verification import verify_pdf

from .conftest import approved, attachment_pdf, clear, draft, issued, signed

pytestmark = pytest.mark.django_db


def test_29_administrative_types_with_abbreviations():
    assert len(kinds.ADMINISTRATIVE_TYPES) == 29
    assert kinds.TYPES["quyet_dinh"].abbreviation == "QĐ"
    assert kinds.TYPES["cong_van"].abbreviation == ""
    assert kinds.TYPES["to_trinh"].abbreviation == "TTr"
    assert kinds.get_type("CV").code == "cong_van"
    assert all(t.normative for t in kinds.NORMATIVE_TYPES)


def test_draft_is_created_with_recipients_and_audit(specialist_a, commune_a, office_a,
                                                    leader_a):
    document = draft(specialist_a, commune_a, recipients=[
        {"kind": "unit", "unit": office_a}, {"kind": "person", "person": leader_a},
        {"kind": "external", "organ_code": "000.00.00.h37", "name": ""}],
        attachments=[attachment_pdf()])
    assert document.status == OutgoingStatus.DRAFT
    assert document.number is None
    assert [r.kind for r in document.recipients.all()] == ["unit", "person", "external"]
    assert document.recipients.get(kind="external").name == "UBND tỉnh Lạng Sơn"
    assert document.attachments.count() == 1
    assert "don doc nop bao cao" in document.search_text
    assert AuditEvent.objects.filter(action="documents.draft_created").exists()


@pytest.mark.parametrize("changes, field", [
    ({"type_code": "khong_co"}, "type_code"),
    ({"subject": "  "}, "subject"),
    ({"body": ""}, "body"),
    ({"urgency": "rat_gap"}, "urgency"),
    ({"recipients": [{"kind": "external", "organ_code": "abc"}]}, "recipients"),
    ({"attachments": [("a.docx", "application/msword", b"PK..")]}, "attachments"),
])
def test_draft_refusals(specialist_a, commune_a, changes, field):
    with pytest.raises(InvalidInput) as exc:
        draft(specialist_a, commune_a, **changes)
    assert field in exc.value.fields
    assert not OutgoingDocument.objects.exists()


def test_draft_refused_outside_ones_agency_and_for_citizens(specialist_a, commune_b, citizen,
                                                            commune_a):
    with pytest.raises(NotAllowed):
        draft(specialist_a, commune_b)
    with pytest.raises(NotAllowed):
        draft(citizen, commune_a)


def test_secret_draft_needs_clearance(specialist_a, commune_a):
    with pytest.raises(NotAllowed):
        draft(specialist_a, commune_a, secrecy="mat")
    clear(specialist_a, commune_a, "mat")
    assert draft(specialist_a, commune_a, secrecy="mat").secrecy == "mat"


def test_review_chain_in_order_then_approval(specialist_a, office_specialist, leader_a,
                                             commune_a):
    document = draft(specialist_a, commune_a)
    services.submit(document, actor=specialist_a, approver=leader_a,
                    reviewers=[office_specialist])
    document.refresh_from_db()
    assert document.status == OutgoingStatus.IN_REVIEW
    with pytest.raises(NotAllowed):  # the approver's turn has not come
        services.review(document, actor=leader_a, accept=True)
    services.review(document, actor=office_specialist, accept=True, comment="Được")
    document.refresh_from_db()
    assert document.status == OutgoingStatus.PENDING_APPROVAL
    services.review(document, actor=leader_a, accept=True)
    document.refresh_from_db()
    assert document.status == OutgoingStatus.APPROVED
    actions = list(AuditEvent.objects.filter(object_id=str(document.pk))
                   .values_list("action", flat=True))
    assert actions == ["documents.draft_created", "documents.submitted", "documents.reviewed",
                       "documents.approved"]


def test_return_for_revision_then_resubmit(specialist_a, leader_a, commune_a):
    document = draft(specialist_a, commune_a)
    services.submit(document, actor=specialist_a, approver=leader_a)
    with pytest.raises(InvalidInput):
        services.review(document, actor=leader_a, accept=False, comment="")
    services.review(document, actor=leader_a, accept=False, comment="Sửa hạn nộp")
    document.refresh_from_db()
    assert document.status == OutgoingStatus.RETURNED
    services.update_draft(document, actor=specialist_a, type_code="cong_van",
                          subject="Đôn đốc nộp báo cáo tháng 11", body="Nộp trước ngày 28.",
                          drafting_unit="VP")
    services.submit(document, actor=specialist_a, approver=leader_a)
    services.review(document, actor=leader_a, accept=True)
    document.refresh_from_db()
    assert document.status == OutgoingStatus.APPROVED
    assert document.review_steps.filter(round=2).count() == 1


def test_submit_refusals(specialist_a, leader_a, counter_a, commune_a, leader_b):
    document = draft(specialist_a, commune_a)
    with pytest.raises(NotAllowed):
        services.submit(document, actor=leader_a, approver=leader_a)
    with pytest.raises(InvalidInput):  # not a leader of the agency
        services.submit(document, actor=specialist_a, approver=counter_a)
    with pytest.raises(InvalidInput):  # a reviewer from another agency
        services.submit(document, actor=specialist_a, approver=leader_a, reviewers=[leader_b])
    services.submit(document, actor=specialist_a, approver=leader_a)
    with pytest.raises(InvalidTransition):
        services.submit(document, actor=specialist_a, approver=leader_a)
    with pytest.raises(NotAllowed):  # a draft under review is not edited
        services.update_draft(document, actor=leader_a, type_code="cong_van", subject="x",
                              body="y")


def test_sign_numbers_and_signs_personally(certificates, specialist_a, leader_a, commune_a):
    document = signed(specialist_a, leader_a, commune_a)
    assert document.status == OutgoingStatus.SIGNED
    assert document.number == 1
    assert document.notation == "UBND-VP"
    assert document.number_notation == "01/UBND-VP"
    assert document.document_id.endswith(",01/UBND-VP")
    report = verify_pdf(document.signed_pdf.read())
    assert [s.verdict for s in report.signatures] == ["valid"]
    assert report.signatures[0].signer == leader_a.full_name
    text = services.file_text.pdf_text(document.signed_pdf.open("rb").read())
    assert "01/UBND-VP" in text
    assert "TM. ỦY BAN NHÂN DÂN" in text
    assert "V/v Đôn đốc nộp báo cáo tháng" in text


def test_layout_keeps_drafter_initials_and_copies(specialist_a, commune_a):
    specialist_a.full_name = "Nguyễn Văn An"
    specialist_a.save()
    document = draft(specialist_a, commune_a, copies=2, type_code="to_trinh")
    page = services.page_for(document)
    assert page.recipients[-1] == "- Lưu: VT, VP, NVA(2)."
    assert page.title == "TỜ TRÌNH\nĐôn đốc nộp báo cáo tháng"
    document.signer_authority, document.signer_title = "Q.", "Chủ tịch"
    assert services.page_for(document).signer.title == "Q. Chủ tịch"


def test_notation_by_type_and_profile(certificates, specialist_a, leader_a, commune_a,
                                      admin_a):
    services.set_issuer_profile(actor=admin_a, agency=commune_a, abbreviation="UBND",
                                place="Lạng Sơn")
    decision = signed(specialist_a, leader_a, commune_a, type_code="quyet_dinh",
                      subject="Về việc thành lập tổ công tác")
    assert decision.number_notation == "01/QĐ-UBND"
    letter = signed(specialist_a, leader_a, commune_a)
    assert letter.number_notation == "02/UBND-VP"  # công văn shares the general series
    normative = signed(specialist_a, leader_a, commune_a, type_code="quyet_dinh_qppl",
                       subject="Ban hành quy định")
    assert normative.number_notation == "01/QĐ-UBND"  # its own series
    assert normative.series == "qppl_quyet_dinh_qppl"
    clear(specialist_a, commune_a, "mat")
    clear(leader_a, commune_a, "mat")
    secret = signed(specialist_a, leader_a, commune_a, secrecy="mat")
    assert (secret.series, secret.number) == ("mat", 1)
    assert IssuerProfile.objects.get(agency=commune_a).place == "Lạng Sơn"
    assert "Lạng Sơn, ngày" in services.file_text.pdf_text(
        decision.signed_pdf.open("rb").read())


def test_numbers_start_again_on_1_january_vietnam_time(certificates, specialist_a, leader_a,
                                                       commune_a, monkeypatch):
    monkeypatch.setattr(services, "_today", lambda: dt.date(2026, 12, 31))
    assert signed(specialist_a, leader_a, commune_a).number == 1
    assert signed(specialist_a, leader_a, commune_a).number == 2
    monkeypatch.setattr(services, "_today", lambda: dt.date(2027, 1, 1))
    new_year = signed(specialist_a, leader_a, commune_a)
    assert (new_year.year, new_year.number) == (2027, 1)


def test_sign_refusals(certificates, specialist_a, leader_a, commune_a, clerk_a):
    document = approved(specialist_a, leader_a, commune_a)
    with pytest.raises(InvalidInput):
        services.sign(document, actor=leader_a, signer_title=" ")
    with pytest.raises(InvalidInput):
        services.sign(document, actor=leader_a, signer_title="Phó Chủ tịch", authority="KT.")
    with pytest.raises(NotAllowed):
        services.sign(document, actor=clerk_a, signer_title="Chủ tịch")
    document.refresh_from_db()
    assert document.number is None  # no number was taken by the refusals


def test_sign_without_certificate_takes_no_number(ca, specialist_a, leader_a, commune_a):
    document = approved(specialist_a, leader_a, commune_a)
    with pytest.raises(InvalidInput) as exc:
        services.sign(document, actor=leader_a, signer_title="Chủ tịch")
    assert exc.value.code == "no_credential"
    assert not DocumentCounter.objects.exists()


def test_number_is_kept_when_signing_fails_and_reused_by_the_same_document(
        certificates, specialist_a, leader_a, commune_a, monkeypatch):
    document = approved(specialist_a, leader_a, commune_a)
    from digigov.signing import services as signing

    def broken(*args, **kwargs):
        raise signing.SigningUnavailable("token unplugged")

    monkeypatch.setattr(signing, "sign_pdf", broken)
    with pytest.raises(signing.SigningUnavailable):
        services.sign(document, actor=leader_a, signer_title="Chủ tịch")
    document.refresh_from_db()
    assert (document.status, document.number) == (OutgoingStatus.APPROVED, 1)
    monkeypatch.undo()
    other = signed(specialist_a, leader_a, commune_a)
    assert other.number == 2  # 1 is never given again
    document = services.sign(document, actor=leader_a, signer_title="Chủ tịch")
    assert document.number_notation == "01/UBND-VP"


def test_issue_adds_agency_signatures_and_sends(certificates, specialist_a, leader_a, clerk_a,
                                                commune_a, office_a):
    document = issued(specialist_a, leader_a, clerk_a, commune_a,
                      attachments=[attachment_pdf()],
                      recipients=[{"kind": "unit", "unit": office_a}])
    assert document.status == OutgoingStatus.ISSUED
    report = verify_pdf(document.signed_pdf.open("rb").read())
    assert [s.verdict for s in report.signatures] == ["valid", "valid"]
    assert report.signatures[1].signer == commune_a.name
    attachment = document.attachments.get()
    att_report = verify_pdf(attachment.signed_file.open("rb").read())
    assert [s.signer for s in att_report.signatures] == [commune_a.name]
    assert document.recipients.get().sent_at is not None
    # Both files are in the register of issued documents: /xac-thuc/ recognises copies.
    assert report.issued.kind == "official" and report.issued.number == document.number_notation
    assert [s["role"] for s in report.issued.signers] == ["officer", "agency"]
    assert att_report.issued.kind == "attachment"


def test_issue_refusals(certificates, specialist_a, leader_a, clerk_a, commune_a):
    document = approved(specialist_a, leader_a, commune_a)
    with pytest.raises(InvalidTransition):
        services.issue(document, actor=clerk_a)
    document = services.sign(document, actor=leader_a, signer_title="Chủ tịch")
    with pytest.raises(NotAllowed):
        services.issue(document, actor=specialist_a)


def test_issue_enqueues_external_recipients_when_the_exchange_exists(
        certificates, specialist_a, leader_a, clerk_a, commune_a, monkeypatch):
    calls = []
    module = types.ModuleType("digigov.exchange.services")
    module.enqueue_outgoing = lambda document: calls.append(document.pk)
    monkeypatch.setitem(sys.modules, "digigov.exchange.services", module)
    document = issued(specialist_a, leader_a, clerk_a, commune_a, recipients=[
        {"kind": "external", "organ_code": "000.02.37.H37"}])
    assert calls == [document.pk]
    data = services.outgoing_for_exchange(document)
    assert data["recipient_codes"] == ["000.02.37.H37"]
    assert data["number"] == "01" and data["notation"] == "UBND-VP"
    assert data["type_code"] == "CV"
    assert data["signer_authority"] == "TM. Ủy ban nhân dân"
    assert data["attachments"][0][2].startswith(b"%PDF-")
    assert data["document_id"] == document.document_id


def test_outgoing_for_exchange_refuses_unissued(specialist_a, commune_a):
    with pytest.raises(InvalidTransition):
        services.outgoing_for_exchange(draft(specialist_a, commune_a))


def test_record_exchange_status(certificates, specialist_a, leader_a, clerk_a, commune_a,
                                monkeypatch):
    monkeypatch.setitem(sys.modules, "digigov.exchange.services",
                        types.ModuleType("digigov.exchange.services"))
    document = issued(specialist_a, leader_a, clerk_a, commune_a, recipients=[
        {"kind": "external", "organ_code": "000.02.37.H37"}])
    at = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    services.record_exchange_status(document, recipient_code="000.02.37.H37", status="03",
                                    at=at, note="Văn thư xã B")
    status = ExchangeStatus.objects.get()
    assert status.label == "Đã tiếp nhận, vào sổ"
    recipient = document.recipients.get()
    assert (recipient.status, recipient.received_by) == ("03", "Văn thư xã B")
    with pytest.raises(InvalidInput):
        services.record_exchange_status(document, recipient_code="x", status="17", at=at)
    with pytest.raises(InvalidInput):
        services.record_exchange_status(document, recipient_code="x", status="01",
                                        at=dt.datetime(2026, 3, 2, 9))
