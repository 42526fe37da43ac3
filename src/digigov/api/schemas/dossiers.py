"""Schemas of dossiers, their timeline and control sheet, and of the actions on them."""

from ninja import Field, Schema

from digigov.api.pagination import Page
from digigov.api.schemas.catalog import AgencyRef
from digigov.api.types import LocalDateTime


class ProcedureRef(Schema):
    national_code: str = Field(description="Mã thủ tục.")
    name: str = Field(description="Tên thủ tục.")


class UserRef(Schema):
    uuid: str = Field(description="Mã định danh (UUID) của tài khoản.")
    name: str = Field(description="Họ và tên.")


class DossierSummary(Schema):
    code: str = Field(description="Mã hồ sơ <mã cơ quan>-YYMMDD-XXXX (Thông tư 01/2018/TT-VPCP).")
    status: int = Field(description="Mã trạng thái quốc gia: 1 mới đăng ký, 2 đã tiếp nhận, "
                                    "3 không tiếp nhận, 4 đang xử lý, 5 yêu cầu bổ sung, "
                                    "6 nghĩa vụ tài chính, 7 rút hồ sơ, 8 dừng xử lý, "
                                    "9 đã xử lý xong, 10 đã trả kết quả.")
    status_label: str = Field(description="Tên trạng thái.")
    channel: int = Field(description="Kênh nộp: 1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích.")
    channel_label: str = Field(description="Tên kênh nộp.")
    procedure: ProcedureRef = Field(description="Thủ tục.")
    agency: AgencyRef = Field(description="Cơ quan tiếp nhận.")
    current_agency: AgencyRef | None = Field(description="Đơn vị đang giữ hồ sơ.")
    current_step: str | None = Field(description="Bước xử lý hiện tại.")
    applicant_name: str = Field(description="Người nộp hồ sơ.")
    submitted_at: LocalDateTime = Field(description="Thời điểm nộp.")
    received_at: LocalDateTime | None = Field(description="Thời điểm tiếp nhận.")
    due_at: LocalDateTime | None = Field(description="Ngày hẹn trả kết quả.")
    apology_due_at: LocalDateTime | None = Field(
        description="Ngày hẹn mới theo thư xin lỗi (nếu có).")
    overdue: bool = Field(description="Hồ sơ đang mở và đã quá ngày hẹn trả.")
    timeliness: str = Field(description="Đánh giá thời hạn khi kết thúc: early, on_time, late "
                                        "hoặc rỗng.")


class DossierPage(Page[DossierSummary]):
    pass


class ApplicantOut(Schema):
    name: str = Field(description="Họ và tên hoặc tên tổ chức.")
    id_number: str = Field(description="Số định danh cá nhân hoặc mã số doanh nghiệp.")
    phone: str = Field(description="Điện thoại.")
    email: str = Field(description="Thư điện tử.")
    address: str = Field(description="Địa chỉ.")


class DossierFileOut(Schema):
    uuid: str = Field(description="Mã tệp.")
    component_id: int | None = Field(description="Mã thành phần hồ sơ.")
    component_name: str | None = Field(description="Tên thành phần hồ sơ.")
    original_name: str = Field(description="Tên tệp khi gửi lên.")
    content_type: str = Field(description="Kiểu tệp nhận diện theo nội dung.")
    size: int = Field(description="Dung lượng (byte).")
    sha256: str = Field(description="Mã băm SHA-256 của nội dung.")
    is_supplement: bool = Field(description="Tệp gửi khi bổ sung hồ sơ.")
    is_reused: bool = Field(description=(
        "Giấy tờ lấy từ kho dữ liệu điện tử của người nộp (không nộp lại, không được yêu cầu "
        "bổ sung lại)."))
    reused_from: str | None = Field(description="Mã (UUID) giấy tờ trong kho, nếu dùng lại.")
    uploaded_at: LocalDateTime = Field(description="Thời điểm tải lên.")


class SupplementOut(Schema):
    requested_at: LocalDateTime = Field(description="Thời điểm yêu cầu bổ sung.")
    reason: str = Field(description="Lý do.")
    items: list[str] = Field(description="Giấy tờ cần bổ sung.")
    supplied_at: LocalDateTime | None = Field(description="Thời điểm người nộp bổ sung.")


class ObligationOut(Schema):
    amount: int = Field(description="Số tiền (VNĐ).")
    reason: str = Field(description="Nội dung nghĩa vụ tài chính.")
    requested_at: LocalDateTime = Field(description="Thời điểm yêu cầu.")
    fulfilled_at: LocalDateTime | None = Field(description="Thời điểm xác nhận đã nộp.")
    fulfilled_reference: str = Field(description="Số biên lai, chứng từ.")


class ApologyOut(Schema):
    created_at: LocalDateTime = Field(description="Thời điểm gửi thư xin lỗi.")
    reason: str = Field(description="Lý do chậm trễ.")
    previous_due_at: LocalDateTime = Field(description="Ngày hẹn trước đó.")
    new_due_at: LocalDateTime = Field(description="Ngày hẹn mới.")


class RatingOut(Schema):
    scores: dict[str, int] = Field(description="Điểm từng tiêu chí: 2 hài lòng, 1 bình thường, "
                                               "0 không hài lòng.")
    total: int = Field(description="Tổng điểm.")
    comment: str = Field(description="Ý kiến khác.")
    created_at: LocalDateTime = Field(description="Thời điểm đánh giá.")


class ElectronicResultOut(Schema):
    uuid: str = Field(description="Mã của văn bản đã ban hành (trong mã QR trên kết quả).")
    title: str = Field(description="Trích yếu.")
    number: str = Field(description="Số, ký hiệu.")
    sha256: str = Field(description="Mã băm SHA-256 của tệp đã ký số.")
    issued_at: LocalDateTime = Field(description="Thời điểm ban hành.")
    verification_url: str = Field(description="Trang xác thực công khai.")


class DossierDetail(DossierSummary):
    applicant: ApplicantOut = Field(description="Thông tin người nộp như kê khai.")
    form_data: dict[str, str] = Field(description="Nội dung tờ khai điện tử.")
    fee_amount: int = Field(description="Phí, lệ phí (VNĐ).")
    supplement_count: int = Field(description="Số lần đã yêu cầu bổ sung.")
    processed_at: LocalDateTime | None = Field(description="Thời điểm xử lý xong.")
    returned_at: LocalDateTime | None = Field(description="Thời điểm trả kết quả.")
    closed_at: LocalDateTime | None = Field(description="Thời điểm kết thúc hồ sơ.")
    result_summary: str = Field(description="Kết quả giải quyết.")
    closing_reason: str = Field(description="Lý do từ chối, rút hoặc dừng xử lý.")
    files: list[DossierFileOut] = Field(description="Tệp thành phần hồ sơ.")
    supplements: list[SupplementOut] = Field(description="Các yêu cầu bổ sung.")
    financial_obligations: list[ObligationOut] = Field(description="Nghĩa vụ tài chính.")
    apologies: list[ApologyOut] = Field(description="Thư xin lỗi, hẹn lại.")
    rating: RatingOut | None = Field(description="Đánh giá của người nộp.")
    electronic_result: ElectronicResultOut | None = Field(
        description="Kết quả điện tử đã ký số, nếu đã phát hành.")


class EventOut(Schema):
    at: LocalDateTime = Field(description="Thời điểm.")
    action: str = Field(description="Hành động: submit, receive, refuse, request_supplement, "
                                    "supply_supplement, hand_over, complete, ...")
    actor: UserRef | None = Field(description="Người thực hiện.")
    from_status: int | None = Field(description="Trạng thái trước.")
    to_status: int | None = Field(description="Trạng thái sau.")
    data: dict = Field(description="Chi tiết của hành động (lý do, bước, ngày hẹn...).")


class ControlSheetRow(Schema):
    order: int = Field(description="Số thứ tự dòng.")
    step: str = Field(description="Tên bước.")
    agency: AgencyRef = Field(description="Cơ quan, đơn vị thực hiện.")
    handed_over_at: LocalDateTime = Field(description="Thời gian giao, nhận hồ sơ.")
    giver: UserRef | None = Field(description="Người giao.")
    receiver: UserRef | None = Field(description="Người nhận.")
    due_at: LocalDateTime = Field(description="Hạn xử lý của bước.")
    finished_at: LocalDateTime | None = Field(description="Thời điểm hoàn thành bước.")
    handed_to: UserRef | None = Field(description="Người nhận ở bước sau.")
    timeliness: str = Field(description="Kết quả: early (trước hạn), on_time, late.")
    provisional: bool = Field(description="Bước chưa xong: kết quả tính đến hiện tại.")
    note: str = Field(description="Ghi chú.")


class ControlSheetOut(Schema):
    dossier_code: str = Field(description="Mã hồ sơ.")
    procedure: ProcedureRef = Field(description="Thủ tục.")
    applicant_name: str = Field(description="Người nộp.")
    received_at: LocalDateTime | None = Field(description="Thời điểm tiếp nhận.")
    due_at: LocalDateTime | None = Field(description="Ngày hẹn trả.")
    rows: list[ControlSheetRow] = Field(description="Mỗi lần giao, nhận hồ sơ là một dòng.")


# -- input -----------------------------------------------------------------------------
class DossierSubmission(Schema):
    procedure: str = Field(max_length=40, description="Mã thủ tục.")
    agency: str | None = Field(None, max_length=35, description=(
        "Mã định danh của cơ quan tiếp nhận; có thể bỏ trống khi thủ tục chỉ có một cơ quan "
        "có thẩm quyền (bắt buộc khi cán bộ nhận tại quầy)."))
    form_data: str = Field("{}", description="Tờ khai: một đối tượng JSON {khóa: giá trị}.")
    applicant_name: str | None = Field(None, max_length=150,
                                       description="Cán bộ tiếp nhận: họ tên người nộp.")
    applicant_id_number: str | None = Field(
        None, max_length=14, description="Cán bộ tiếp nhận: số định danh cá nhân hoặc mã số "
                                         "doanh nghiệp của người nộp.")
    applicant_phone: str | None = Field(None, max_length=15,
                                        description="Cán bộ tiếp nhận: điện thoại người nộp.")
    applicant_email: str | None = Field(None, max_length=254,
                                        description="Cán bộ tiếp nhận: thư điện tử người nộp.")
    applicant_address: str | None = Field(None, max_length=255,
                                          description="Cán bộ tiếp nhận: địa chỉ người nộp.")
    channel: int | None = Field(
        None, description="Cán bộ tiếp nhận: 1 nộp trực tiếp (mặc định), 3 qua bưu chính.")
    receive_now: bool = Field(True, description=(
        "Cán bộ tiếp nhận: tiếp nhận ngay (hồ sơ phải đủ thành phần bắt buộc); false để chỉ "
        "đăng ký rồi yêu cầu bổ sung."))
    reuse: str = Field("{}", description=(
        "Dùng lại giấy tờ trong kho dữ liệu của người nộp thay cho tải tệp: một đối tượng JSON "
        "{mã thành phần: UUID giấy tờ} (xem GET /store/papers). Thành phần dùng lại không gửi "
        "kèm tệp."))


class SupplementSupply(Schema):
    form_data: str | None = Field(None, description="Sửa tờ khai (tùy chọn): đối tượng JSON.")


class ReasonIn(Schema):
    reason: str = Field(max_length=2000, description="Lý do.")


class SupplementRequestIn(ReasonIn):
    items: list[str] = Field(default_factory=list, description=(
        "Toàn bộ giấy tờ cần bổ sung (chỉ được yêu cầu một lần)."))
    components: list[int] = Field(default_factory=list, description=(
        "Mã các thành phần hồ sơ cần nộp lại; thành phần lấy từ kho dữ liệu của người nộp "
        "bị từ chối."))


class HandOverIn(Schema):
    to_user: str | None = Field(None, max_length=254, description=(
        "Người nhận ở bước sau: UUID hoặc thư điện tử của cán bộ; bỏ trống để bất kỳ ai giữ "
        "vai trò của bước nhận."))
    note: str = Field("", max_length=2000, description="Ghi chú khi chuyển.")


class FinancialObligationIn(ReasonIn):
    amount: int = Field(gt=0, description="Số tiền (VNĐ).")


class FulfilObligationIn(Schema):
    reference: str = Field(max_length=100, description="Số biên lai hoặc chứng từ nộp tiền.")


class IssueResultIn(Schema):
    number: str = Field("", max_length=100, description="Số, ký hiệu của kết quả (nếu có).")


class CompleteIn(Schema):
    result_summary: str = Field(max_length=5000, description="Kết quả giải quyết.")


class ApologyIn(ReasonIn):
    new_due_at: LocalDateTime = Field(description="Ngày hẹn mới, ISO 8601 có múi giờ, sau ngày "
                                                  "hẹn hiện tại.")


class RatingIn(Schema):
    scores: dict[str, int] = Field(description=(
        "Điểm 2/1/0 cho đủ 9 tiêu chí: total_time, agency_time, contacts, agencies_contacted, "
        "one_stop, published, attitude, feedback, online_quality."))
    comment: str = Field("", max_length=2000, description="Ý kiến khác.")
