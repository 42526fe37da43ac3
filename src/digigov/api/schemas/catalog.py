"""Schemas of the public catalog: procedures and agencies."""

import datetime as dt

from ninja import Field, Schema

from digigov.api.pagination import Page


class SectorOut(Schema):
    code: str = Field(description="Mã lĩnh vực.")
    name: str = Field(description="Tên lĩnh vực.")


class AgencyRef(Schema):
    code: str = Field(description="Mã định danh điện tử của cơ quan (Quyết định 20/2020/QĐ-TTg).")
    name: str = Field(description="Tên cơ quan.")


class ProcedureSummary(Schema):
    national_code: str = Field(description="Mã thủ tục hành chính trên Cơ sở dữ liệu quốc gia.")
    name: str = Field(description="Tên thủ tục.")
    name_en: str = Field(description="Tên tiếng Anh (có thể rỗng).")
    sector: SectorOut = Field(description="Lĩnh vực.")
    level: str = Field(description="Cấp thực hiện: central, province hoặc commune.")
    level_label: str = Field(description="Tên cấp thực hiện.")


class ProcedurePage(Page[ProcedureSummary]):
    pass


class TimeLimitOut(Schema):
    amount: float = Field(description="Số lượng thời hạn giải quyết.")
    unit: str = Field(
        description="Đơn vị: same_day, working_days, working_hours hoặc calendar_days.")
    unit_label: str = Field(description="Tên đơn vị thời hạn.")
    text: str = Field(description="Thời hạn như văn bản công bố.")
    cutoff_time: dt.time | None = Field(
        description="Giờ chốt nhận trong ngày: hồ sơ nhận sau giờ này tính từ ngày làm việc sau.")


class FeesOut(Schema):
    counter: int = Field(description="Phí, lệ phí khi nộp trực tiếp hoặc qua bưu chính (VNĐ).")
    online: int = Field(description="Phí, lệ phí khi nộp trực tuyến (VNĐ).")
    note: str = Field(description="Ghi chú về phí, lệ phí.")


class ComponentOut(Schema):
    id: int = Field(description="Mã thành phần; gửi tệp của thành phần này trong trường "
                                "component_<id> khi nộp hồ sơ.")
    order: int = Field(description="Thứ tự.")
    name: str = Field(description="Tên giấy tờ.")
    required: bool = Field(description="Bắt buộc hay không.")
    copies: str = Field(description="Số lượng bản.")
    template_url: str | None = Field(description="Địa chỉ tải mẫu đơn, tờ khai (nếu có).")


class FormFieldOut(Schema):
    key: str = Field(description="Khóa của trường trong form_data.")
    label: str = Field(description="Nhãn.")
    type: str = Field(description="Kiểu: text, textarea, date (YYYY-MM-DD), number, choice.")
    required: bool = Field(description="Bắt buộc hay không.")
    choices: list[str] = Field(description="Các giá trị được chọn (kiểu choice).")
    help_text: str = Field(description="Hướng dẫn nhập.")


class ProcessStepOut(Schema):
    order: int = Field(description="Thứ tự bước.")
    name: str = Field(description="Tên bước.")
    role: str = Field(description="Vai trò thực hiện.")
    role_label: str = Field(description="Tên vai trò thực hiện.")
    agency: AgencyRef | None = Field(description="Đơn vị thực hiện; null: đơn vị tiếp nhận.")
    allotted_hours: float = Field(description="Thời gian được giao (giờ làm việc).")


class ProcedureDetail(ProcedureSummary):
    effective_from: dt.date = Field(description="Phiên bản đang có hiệu lực từ ngày.")
    effective_to: dt.date | None = Field(description="Hiệu lực đến ngày (null: chưa hết).")
    applicant_types: list[str] = Field(description="Đối tượng thực hiện.")
    service_level: str = Field(description="Mức độ dịch vụ công trực tuyến: full, partial, none.")
    service_level_label: str = Field(description="Tên mức độ dịch vụ công trực tuyến.")
    steps_description: str = Field(description="Trình tự thực hiện.")
    method: str = Field(description="Cách thức thực hiện.")
    time_limit: TimeLimitOut = Field(description="Thời hạn giải quyết.")
    fees: FeesOut = Field(description="Phí, lệ phí.")
    legal_basis: str = Field(description="Căn cứ pháp lý.")
    result_type: str = Field(description="Kết quả thực hiện.")
    requirements: str = Field(description="Yêu cầu, điều kiện.")
    components: list[ComponentOut] = Field(description="Thành phần hồ sơ.")
    form_fields: list[FormFieldOut] = Field(description="Các trường của tờ khai điện tử.")
    steps: list[ProcessStepOut] = Field(description="Quy trình nội bộ.")
    competent_agencies: list[AgencyRef] = Field(description="Cơ quan có thẩm quyền tiếp nhận.")


class AgencyOut(AgencyRef):
    name_en: str = Field(description="Tên tiếng Anh (có thể rỗng).")
    level: str = Field(description="Cấp của cơ quan.")
    level_label: str = Field(description="Tên cấp của cơ quan.")
    parent_code: str | None = Field(description="Mã định danh của cơ quan cấp trên.")
    address: str = Field(description="Địa chỉ.")
    phone: str = Field(description="Điện thoại.")
    email: str = Field(description="Thư điện tử.")
    valid_from: dt.date = Field(description="Hoạt động từ ngày.")
    valid_to: dt.date | None = Field(description="Hoạt động đến ngày (null: đang hoạt động).")
    successor_code: str | None = Field(
        description="Mã định danh của cơ quan kế thừa khi cơ quan này đã sáp nhập, giải thể.")


class AgencyPage(Page[AgencyOut]):
    pass


class ProblemTypeOut(Schema):
    code: str = Field(description="Mã loại lỗi.")
    status: int = Field(description="Mã trạng thái HTTP đi kèm.")
    title: str = Field(description="Tiêu đề.")
    description: str = Field(description="Giải thích và cách khắc phục.")
