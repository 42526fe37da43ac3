"""Results as PDF: the template chosen by the procedure, the facts, the QR code."""

import datetime as dt
import io
import uuid
from decimal import Decimal

import pytest
import segno
from PIL import Image
from pypdf import PdfReader

from digigov.accounts.models import Role
from digigov.catalog.models import (
    ComponentSpec,
    FormField,
    ImplementingLevel,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    Sector,
    ServiceLevel,
    TimeLimitUnit,
)
from digigov.dossiers import services
from digigov.pdfs.documents import (
    render_form,
    render_result,
    render_result_document,
    result_template_code,
    verification_url,
)
from digigov.pdfs.models import ResultTemplateChoice
from tests.conftest import component_files

from .conftest import MONDAY_9, one_line, pdf_text

VERIFY = uuid.UUID("5b0f3c1e-8d7a-4c2b-9f10-2a6e4d8c7b31")


def make_procedure(code, name, agency, fields):
    sector, _ = Sector.objects.get_or_create(code="X", defaults={"name": "Khác"})
    proc = Procedure.objects.create(national_code=code, name=name, sector=sector,
                                    level=ImplementingLevel.PROVINCE)
    proc.competent_agencies.set([agency])
    version = ProcedureVersion.objects.create(
        procedure=proc, effective_from=dt.date(2025, 7, 1), applicant_types=["citizen"],
        service_level=ServiceLevel.FULL, time_limit_amount=Decimal(10),
        time_limit_unit=TimeLimitUnit.CALENDAR_DAYS, fee_counter=200000, fee_online=200000,
        legal_basis="Luật Lý lịch tư pháp 2009", result_type="Phiếu lý lịch tư pháp")
    ComponentSpec.objects.create(version=version, order=1, name="Tờ khai")
    for order, key in enumerate(fields, start=1):
        FormField.objects.create(version=version, order=order, key=key, label=key)
    ProcessStep.objects.create(version=version, order=1, name="Tiếp nhận",
                               role=Role.COUNTER_OFFICER, allotted_hours=Decimal(8))
    return proc


def dossier_of(proc, citizen, agency, form):
    return services.submit_online(applicant=citizen, procedure=proc, form_data=form,
                                  files=component_files(proc), agency=agency, now=MONDAY_9)


def test_birth_certificate_extract(processed, leader_a):
    assert result_template_code(processed) == "result_birth_extract"
    text = one_line(pdf_text(render_result(processed, verification_uuid=VERIFY, number="15")))
    for fact in ("TRÍCH LỤC KHAI SINH", "Số: 15/TLKS-BS", "NGUYỄN VĂN BÉ", "01/03/2026",
                 "Nguyễn Văn A", "020190001234", processed.code, "TM. ỦY BAN NHÂN DÂN",
                 "CHỦ TỊCH", leader_a.full_name, "Lạng Sơn, ngày 02 tháng 3 năm 2026",
                 "UBND TỈNH LẠNG SƠN", "UBND XÃ A", "Nơi nhận:"):
        assert fact in text, fact


def test_judicial_record_certificate(citizen, commune_a):
    proc = make_procedure("2.000488.000.00.00.H37", "Cấp Phiếu lý lịch tư pháp cho công dân "
                          "Việt Nam", commune_a, ["full_name", "birth_date", "certificate_kind",
                                                  "purpose"])
    dossier = dossier_of(proc, citizen, commune_a, {
        "full_name": "Nguyễn Văn A", "birth_date": "1990-05-17",
        "certificate_kind": "Phiếu số 2", "purpose": "Du học"})
    assert result_template_code(dossier) == "result_judicial_record"
    text = one_line(pdf_text(render_result(dossier, verification_uuid=VERIFY)))
    for fact in ("PHIẾU LÝ LỊCH TƯ PHÁP SỐ 2", "NGUYỄN VĂN A", "1990-05-17", "Du học",
                 "Không có án tích.", dossier.code, "XÁC NHẬN"):
        assert fact in text, fact


def test_consular_legalisation_stamp_page(citizen, commune_a):
    proc = make_procedure("2.001000.000.00.00.G08", "Hợp pháp hóa lãnh sự giấy tờ, tài liệu",
                          commune_a, ["document_title", "documents", "issuing_country"])
    dossier = dossier_of(proc, citizen, commune_a, {
        "document_title": "Bằng tốt nghiệp đại học", "documents": "2",
        "issuing_country": "Nhật Bản"})
    assert result_template_code(dossier) == "result_consular_stamp"
    text = one_line(pdf_text(render_result(dossier, verification_uuid=VERIFY)))
    for fact in ("HỢP PHÁP HÓA LÃNH SỰ", "CONSULAR AUTHENTICATION / LEGALIZATION",
                 "Bằng tốt nghiệp đại học", "Nhật Bản", dossier.code, "TL. BỘ TRƯỞNG"):
        assert fact in text, fact


def test_the_procedure_choice_wins_over_name_keywords(processed):
    ResultTemplateChoice.objects.create(procedure=processed.procedure,
                                        template_code="result_generic")
    assert result_template_code(processed) == "result_generic"
    text = one_line(pdf_text(render_result(processed, verification_uuid=VERIFY)))
    assert "Kết quả giải quyết thủ tục hành chính" in text
    assert "Cấp Giấy khai sinh bản chính" in text


def test_a_procedure_without_a_matching_template_gets_the_generic_result(citizen, commune_a):
    proc = make_procedure("1.000001.000.00.00.H37", "Đăng ký tạm trú", commune_a, ["x"])
    assert result_template_code(dossier_of(proc, citizen, commune_a, {"x": "y"})) \
        == "result_generic"


def _qr_image(data: bytes) -> Image.Image:
    images = PdfReader(io.BytesIO(data)).pages[0].images
    assert len(images) == 1
    return images[0].image


def test_the_qr_code_encodes_the_verification_url(processed, settings):
    settings.PUBLIC_BASE_URL = "https://dichvucong.langson.gov.vn"
    document = render_result_document(processed, verification_uuid=VERIFY)
    url = f"https://dichvucong.langson.gov.vn/xac-thuc/{VERIFY}/"
    assert document.verification_url == url == verification_url(VERIFY)
    assert document.context["verification_url"] == url
    assert url in one_line(pdf_text(document.pdf))
    # No QR decoder ships with the project: compare the drawn image, module by module,
    # with the symbol that encodes the URL.
    drawn = _qr_image(document.pdf).convert("L")
    expected_buffer = io.BytesIO()
    segno.make(url, error="m").save(expected_buffer, kind="png", scale=8, border=2)
    expected = Image.open(io.BytesIO(expected_buffer.getvalue())).convert("L")
    assert drawn.size == expected.size
    assert drawn.tobytes() == expected.tobytes()
    other = segno.make(f"https://dichvucong.langson.gov.vn/xac-thuc/{uuid.uuid4()}/",
                       error="m")
    other_buffer = io.BytesIO()
    other.save(other_buffer, kind="png", scale=8, border=2)
    assert Image.open(other_buffer).convert("L").tobytes() != drawn.tobytes()


def test_forms_carry_no_qr_code(received):
    assert len(PdfReader(io.BytesIO(render_form(received, "01"))).pages[0].images) == 0


def test_a_bad_verification_id_is_refused(processed):
    with pytest.raises(ValueError):
        render_result(processed, verification_uuid="../../etc")


def test_result_boxes_are_on_the_signer_page(processed):
    document = render_result_document(processed, verification_uuid=VERIFY)
    reader = PdfReader(io.BytesIO(document.pdf))
    boxes = document.boxes
    assert boxes.signer.page < len(reader.pages)
    width = float(reader.pages[0].mediabox.width)
    assert 0 < boxes.seal.x0 < boxes.signer.x0 < boxes.signer.x1 < width


def test_a_choice_must_name_an_existing_result_template(processed):
    from django.core.exceptions import ValidationError

    choice = ResultTemplateChoice(procedure=processed.procedure, template_code="result_khai_sinh")
    with pytest.raises(ValidationError) as caught:
        choice.full_clean()
    assert "result_birth_extract" in str(caught.value)
    ResultTemplateChoice(procedure=processed.procedure,
                         template_code="result_birth_extract").full_clean()


def test_a_choice_naming_a_vanished_template_issues_the_generic_result(processed):
    ResultTemplateChoice.objects.create(procedure=processed.procedure, template_code="gone")
    document = render_result_document(processed, verification_uuid=VERIFY)
    assert document.template_code == "result_generic"
    assert "Kết quả giải quyết thủ tục hành chính" in one_line(pdf_text(document.pdf))
