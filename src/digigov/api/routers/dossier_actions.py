"""Actions on a dossier: each calls exactly one service function and returns the dossier.

A dossier the caller cannot see answers 404 (its existence is not revealed);
one the caller can see but may not act on answers 403; an action the status
does not allow answers 409; bad input answers 422.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from digigov.accounts.models import User
from digigov.api.access import json_response, visible_dossier
from digigov.api.auth import AUTH
from digigov.api.idempotency import respond_idempotently
from digigov.api.multipart import component_files, parse_form_data
from digigov.api.openapi import PROBLEMS
from digigov.api.presenters import dossier_detail
from digigov.api.routers.dossiers import COMPONENT_FILES_SCHEMA, FILES_DESCRIPTION
from digigov.api.schemas.dossiers import (
    ApologyIn,
    CompleteIn,
    DossierDetail,
    DossierFileOut,
    FinancialObligationIn,
    FulfilObligationIn,
    HandOverIn,
    IssueResultIn,
    RatingIn,
    ReasonIn,
    SupplementRequestIn,
    SupplementSupply,
)
from digigov.core.errors import InvalidInput
from digigov.dossiers import digitisation, results, services
from digigov.dossiers.models import Dossier
from digigov.store.models import PaperKind

router = Router(tags=["Thao tác trên hồ sơ"], auth=AUTH)

RESPONSES = {200: DossierDetail, **PROBLEMS(401, 403, 404, 409, 422)}


def _act(request: HttpRequest, code: str, call: Callable[[Dossier], object]):
    """Find the dossier within the caller's view, run one service call, answer the dossier."""

    def handler():
        call(visible_dossier(request.auth, code))
        return json_response(DossierDetail, dossier_detail(visible_dossier(request.auth, code)))

    return respond_idempotently(request, request.auth, handler)


def _official(reference: str | None) -> User | None:
    """A hand-over recipient named by UUID or email address."""
    if not reference or not reference.strip():
        return None
    reference = reference.strip()
    try:
        lookup = {"uuid": uuid.UUID(reference)}
    except ValueError:
        lookup = {"email__iexact": reference}
    user = User.objects.filter(kind=User.Kind.OFFICIAL, is_active=True, **lookup).first()
    if user is None:
        raise InvalidInput(_("Không tìm thấy cán bộ “%(ref)s”.") % {"ref": reference},
                           fields={"to_user": [_("Không tồn tại.")]})
    return user


@router.post("/dossiers/{code}/receive", response=RESPONSES, summary="Tiếp nhận hồ sơ")
def receive(request: HttpRequest, code: str):
    """Counter officer: accept a complete dossier; the appointment date is set."""
    return _act(request, code, lambda d: services.receive(officer=request.auth, dossier=d))


@router.post("/dossiers/{code}/refuse", response=RESPONSES, summary="Từ chối tiếp nhận")
def refuse(request: HttpRequest, code: str, payload: ReasonIn):
    """Counter officer: refuse a dossier outside the unit's competence (form 03)."""
    return _act(request, code, lambda d: services.refuse(officer=request.auth, dossier=d,
                                                         reason=payload.reason))


@router.post("/dossiers/{code}/request-supplement", response=RESPONSES,
             summary="Yêu cầu bổ sung hồ sơ")
def request_supplement(request: HttpRequest, code: str, payload: SupplementRequestIn):
    """Ask the applicant, once, for every missing paper (form 02); the agency's clock stops."""
    return _act(request, code, lambda d: services.request_supplement(
        official=request.auth, dossier=d, reason=payload.reason, items=payload.items,
        components=payload.components))


@router.post("/dossiers/{code}/supply-supplement", response=RESPONSES,
             summary="Bổ sung hồ sơ", description=FILES_DESCRIPTION,
             openapi_extra=COMPONENT_FILES_SCHEMA)
def supply_supplement(request: HttpRequest, code: str, payload: Form[SupplementSupply]):
    """The applicant (or a counter officer for them) supplies the requested papers."""
    form_data = parse_form_data(payload.form_data)
    files = component_files(request)
    return _act(request, code, lambda d: services.supply_supplement(
        actor=request.auth, dossier=d, files=files, form_data=form_data))


@router.post("/dossiers/{code}/hand-over", response=RESPONSES, summary="Chuyển bước xử lý")
def hand_over(request: HttpRequest, code: str, payload: HandOverIn):
    """Pass the dossier to the next step of the internal process (a control-sheet row)."""
    return _act(request, code, lambda d: services.hand_over(
        official=request.auth, dossier=d, to_user=_official(payload.to_user), note=payload.note))


@router.post("/dossiers/{code}/request-financial-obligation", response=RESPONSES,
             summary="Yêu cầu thực hiện nghĩa vụ tài chính")
def request_financial_obligation(request: HttpRequest, code: str,
                                 payload: FinancialObligationIn):
    """Ask the applicant to pay an amount before processing continues."""
    return _act(request, code, lambda d: services.request_financial_obligation(
        official=request.auth, dossier=d, amount=payload.amount, reason=payload.reason))


@router.post("/dossiers/{code}/fulfil-financial-obligation", response=RESPONSES,
             summary="Xác nhận đã thực hiện nghĩa vụ tài chính")
def fulfil_financial_obligation(request: HttpRequest, code: str, payload: FulfilObligationIn):
    """Record the receipt of the payment; processing resumes."""
    return _act(request, code, lambda d: services.fulfil_financial_obligation(
        official=request.auth, dossier=d, reference=payload.reference))


@router.post("/dossiers/{code}/complete", response=RESPONSES, summary="Hoàn thành xử lý")
def complete(request: HttpRequest, code: str, payload: CompleteIn):
    """The last step is done; the result is ready to be returned."""
    return _act(request, code, lambda d: services.complete(
        official=request.auth, dossier=d, result_summary=payload.result_summary))


@router.post("/dossiers/{code}/issue-result", response=RESPONSES,
             summary="Ký số và phát hành kết quả điện tử")
def issue_result(request: HttpRequest, code: str, payload: IssueResultIn):
    """Leader of the receiving unit: render the result, sign it personally and with the
    agency's seal, register it for verification and file it in the applicant's data store."""
    return _act(request, code, lambda d: results.issue_electronic_result(
        official=request.auth, dossier=d, number=payload.number))


@router.post("/dossiers/{code}/return-result", response=RESPONSES, summary="Trả kết quả")
def return_result(request: HttpRequest, code: str):
    """Counter officer: hand the result to the applicant."""
    return _act(request, code, lambda d: services.return_result(officer=request.auth, dossier=d))


@router.post("/dossiers/{code}/withdraw", response=RESPONSES, summary="Rút hồ sơ")
def withdraw(request: HttpRequest, code: str, payload: ReasonIn):
    """The applicant (or a counter officer for them) withdraws the dossier."""
    return _act(request, code, lambda d: services.withdraw(actor=request.auth, dossier=d,
                                                           reason=payload.reason))


@router.post("/dossiers/{code}/stop", response=RESPONSES, summary="Dừng xử lý")
def stop(request: HttpRequest, code: str, payload: ReasonIn):
    """Leader: stop processing (form 05)."""
    return _act(request, code, lambda d: services.stop_processing(
        official=request.auth, dossier=d, reason=payload.reason))


@router.post("/dossiers/{code}/apologise", response=RESPONSES,
             summary="Gửi thư xin lỗi và hẹn lại")
def apologise(request: HttpRequest, code: str, payload: ApologyIn):
    """Before the deadline, apologise and set a later appointment date (form 04)."""
    return _act(request, code, lambda d: services.apologise(
        official=request.auth, dossier=d, reason=payload.reason, new_due_at=payload.new_due_at))


@router.post("/dossiers/{code}/rate", response=RESPONSES, summary="Đánh giá mức độ hài lòng")
def rate(request: HttpRequest, code: str, payload: RatingIn):
    """The applicant rates the service on the 9 indicators, once, after the result."""
    return _act(request, code, lambda d: services.rate(
        applicant=request.auth, dossier=d, scores=payload.scores, comment=payload.comment))


class DigitiseIn(Schema):
    component: int = Field(description="Mã thành phần hồ sơ (của thủ tục của hồ sơ).")
    kind: str | None = Field(None, max_length=40, description=(
        "Mã loại giấy tờ để lưu vào kho dữ liệu của người nộp, khi thành phần hồ sơ chưa khai "
        "báo loại giấy tờ."))


class DigitisedFileOut(DossierFileOut):
    is_digitised: bool = Field(description="Bản số hóa tại quầy, đã ký số.")


class DigitisedOut(Schema):
    dossier: str = Field(description="Mã hồ sơ.")
    file: DigitisedFileOut = Field(description="Tệp bản số hóa đã ký số, gắn vào hồ sơ.")
    document: str = Field(description=(
        "Mã (UUID) văn bản đã ký trong sổ văn bản phát hành; tra cứu tại trang xác thực."))
    stored_paper: str | None = Field(description=(
        "Mã (UUID) giấy tờ trong kho dữ liệu của người nộp; null khi người nộp không có tài "
        "khoản hoặc thành phần chưa khai báo loại giấy tờ."))
    text_layer: bool = Field(description="Bản số hóa có lớp văn bản nhận dạng (OCR) tiếng Việt.")
    warnings: list[str] = Field(description=(
        "Cảnh báo không ngăn việc số hóa, ví dụ: OCR chưa được cài đặt nên bản số hóa không có "
        "lớp văn bản."))


def _paper_kind(code: str | None) -> PaperKind | None:
    if not code or not code.strip():
        return None
    kind = PaperKind.objects.filter(code=code.strip()).first()
    if kind is None:
        raise InvalidInput(_("Không có loại giấy tờ “%(code)s”.") % {"code": code.strip()},
                           fields={"kind": [_("Không tồn tại.")]})
    return kind


@router.post("/dossiers/{code}/digitise", response={200: DigitisedOut,
                                                     **PROBLEMS(401, 403, 404, 409, 422)},
             summary="Số hóa thành phần hồ sơ")
def digitise(request: HttpRequest, code: str, payload: Form[DigitiseIn],
             file: File[UploadedFile]):
    """Counter officer: a scan (PDF, JPEG, PNG, TIFF) of a paper component becomes a PDF with a
    Vietnamese text layer (when OCR is installed), signed by the officer and the agency,
    flagged "digitised" on the dossier and filed in the applicant's data store."""

    def handler():
        result = digitisation.digitise_component(
            officer=request.auth, dossier=visible_dossier(request.auth, code),
            component_id=payload.component, upload=file, kind=_paper_kind(payload.kind))
        outcome = result.digitisation
        return json_response(DigitisedOut, {
            "dossier": code,
            "file": {"uuid": str(result.uuid), "component_id": result.component_id,
                     "component_name": result.component.name,
                     "original_name": result.original_name,
                     "content_type": result.content_type, "size": result.size,
                     "sha256": result.sha256, "is_supplement": result.is_supplement,
                     "is_reused": result.is_reused, "reused_from": None,
                     "uploaded_at": result.uploaded_at, "is_digitised": result.is_digitised},
            "document": str(outcome.document.uuid),
            "stored_paper": str(outcome.stored.uuid) if outcome.stored else None,
            "text_layer": outcome.text_layer, "warnings": outcome.warnings,
        })

    return respond_idempotently(request, request.auth, handler)
