"""Schemas of the citizen's data store."""

import datetime as dt

from ninja import Field, Schema

from digigov.api.pagination import Page
from digigov.api.types import LocalDateTime


class PaperKindOut(Schema):
    code: str = Field(description="Mã loại giấy tờ.")
    name: str = Field(description="Tên loại giấy tờ.")


class StoredPaperOut(Schema):
    uuid: str = Field(description="Mã giấy tờ trong kho; dùng trong trường `reuse` khi nộp hồ sơ.")
    kind: PaperKindOut
    title: str = Field(description="Tên giấy tờ.")
    number: str = Field(description="Số giấy tờ.")
    issuer_name: str = Field(description="Cơ quan cấp.")
    issuer_code: str = Field(description="Mã định danh cơ quan cấp.")
    issued_on: dt.date | None = Field(description="Ngày cấp.")
    valid_until: dt.date | None = Field(description="Có giá trị đến; null: không thời hạn.")
    is_valid: bool = Field(description="Còn hiệu lực hôm nay.")
    source: str = Field(description="Nguồn: result (kết quả giải quyết), digitised (số hóa), "
                                    "uploaded (chủ sở hữu tải lên).")
    dossier: str | None = Field(description="Mã hồ sơ sinh ra giấy tờ, nếu có.")
    content_type: str = Field(description="Kiểu tệp.")
    size: int = Field(description="Dung lượng (byte).")
    sha256: str = Field(description="Mã băm SHA-256 của nội dung.")
    created_at: LocalDateTime = Field(description="Thời điểm lưu vào kho.")


class StoredPaperPage(Page[StoredPaperOut]):
    pass
