"""``POST /api/v1/verifications``: check the digital signatures of a PDF (public)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from digigov.api.openapi import PROBLEMS
from digigov.signing.verification import verify_upload

router = Router(tags=["Xác thực văn bản"])


class SignatureOut(Schema):
    field: str
    signer: str
    subject: str
    issuer: str
    signed_at: str | None
    level: str
    intact: bool
    trusted: bool
    revoked: bool
    certificate_valid_at_signing: bool
    covers_whole_file: bool
    modified_after: bool
    verdict: str


class IssuedOut(Schema):
    uuid: str
    kind: str
    title: str
    number: str
    issued_at: str


class VerificationOut(Schema):
    sha256: str
    verdict: str
    valid: bool
    matches_issued_record: bool
    issued: IssuedOut | None
    signatures: list[SignatureOut]


@router.post("/verifications", response={200: VerificationOut, **PROBLEMS(413, 422)},
             auth=None, url_name="verify_pdf", summary="Kiểm tra chữ ký số của một tệp PDF")
def verify_pdf(request: HttpRequest, file: UploadedFile = File(...)):  # noqa: B008 - ninja's API
    """Gửi tệp PDF (multipart, trường `file`). Với mỗi chữ ký: còn toàn vẹn không, có tin
    cậy không (chứng thư gốc do hệ thống cấu hình), ai ký, ký lúc nào, chứng thư có hiệu
    lực khi ký không, mức PAdES B-B hay B-T; và tệp có trùng văn bản đã ban hành không.

    `verdict`: `valid`, `tampered`, `expired`, `untrusted` hoặc `unsigned`."""
    return verify_upload(file).as_dict()
