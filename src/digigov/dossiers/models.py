"""Dossiers of the one-stop shop (DOMAIN.md section 3)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.IntegerChoices):
    """The national status codes, synchronised to the national portal."""

    NEW = 1, _("Mới đăng ký")
    RECEIVED = 2, _("Đã tiếp nhận")
    NOT_RECEIVED = 3, _("Không tiếp nhận")
    PROCESSING = 4, _("Đang xử lý")
    SUPPLEMENT_REQUESTED = 5, _("Yêu cầu bổ sung")
    FINANCIAL_OBLIGATION = 6, _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = 7, _("Công dân yêu cầu rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý")
    PROCESSED = 9, _("Đã xử lý xong")
    RETURNED = 10, _("Đã trả kết quả")


OPEN_STATUSES = (
    Status.NEW, Status.RECEIVED, Status.PROCESSING,
    Status.SUPPLEMENT_REQUESTED, Status.FINANCIAL_OBLIGATION,
)
CLOSED_STATUSES = (
    Status.NOT_RECEIVED, Status.WITHDRAWN, Status.STOPPED, Status.PROCESSED, Status.RETURNED,
)


class Channel(models.IntegerChoices):
    COUNTER = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POSTAL = 3, _("Bưu chính công ích")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class Dossier(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("mã hồ sơ"), max_length=60, unique=True)
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT,
                                  related_name="dossiers", verbose_name=_("thủ tục"))
    procedure_version = models.ForeignKey("catalog.ProcedureVersion", on_delete=models.PROTECT,
                                          related_name="dossiers")
    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, related_name="dossiers",
                               verbose_name=_("cơ quan tiếp nhận"))
    channel = models.PositiveSmallIntegerField(_("kênh nộp"), choices=Channel.choices)
    status = models.PositiveSmallIntegerField(_("trạng thái"), choices=Status.choices,
                                              default=Status.NEW, db_index=True)

    # The applicant. ``applicant`` is the account when there is one; the
    # declared identity is always kept on the dossier itself.
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="dossiers")
    applicant_name = models.CharField(_("người nộp"), max_length=150)
    applicant_id_number = models.CharField(_("số định danh / mã số doanh nghiệp"), max_length=14)
    applicant_phone = models.CharField(_("điện thoại"), max_length=15, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    language = models.CharField(max_length=5, default="vi")
    form_data = models.JSONField(_("nội dung tờ khai"), default=dict, blank=True)

    submitted_at = models.DateTimeField(_("ngày nộp"))
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True, db_index=True)
    apology_due_at = models.DateTimeField(_("ngày hẹn mới (thư xin lỗi)"), null=True, blank=True)
    clock_paused_at = models.DateTimeField(null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    paused_seconds = models.FloatField(default=0)

    current_step = models.ForeignKey("catalog.ProcessStep", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    current_agency = models.ForeignKey("orgs.Agency", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="assigned_dossiers")

    fee_amount = models.PositiveBigIntegerField(_("phí, lệ phí (VNĐ)"), default=0)
    processed_at = models.DateTimeField(_("ngày xử lý xong"), null=True, blank=True)
    returned_at = models.DateTimeField(_("ngày trả kết quả"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ngày kết thúc"), null=True, blank=True)
    result_summary = models.TextField(_("kết quả giải quyết"), blank=True)
    closing_reason = models.TextField(_("lý do"), blank=True)
    timeliness = models.CharField(_("đánh giá thời hạn"), max_length=10,
                                  choices=Timeliness.choices, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["current_agency", "status"]),
            models.Index(fields=["applicant", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def effective_due_at(self):
        return self.apology_due_at or self.due_at


class DossierSequence(models.Model):
    """The daily counter behind ``XXXX`` in ``<organ code>-YYMMDD-XXXX``."""

    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="one_sequence_per_agency_day")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last}"


def dossier_file_path(instance: "DossierFile", filename: str) -> str:
    # No personal data in paths: a random name under the dossier's UUID.
    return f"dossiers/{instance.dossier.uuid}/{uuid.uuid4().hex}"


class DossierFile(models.Model):
    """A file supplied for one component of a dossier."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    component = models.ForeignKey("catalog.ComponentSpec", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=dossier_file_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    is_supplement = models.BooleanField(default=False)
    # Once-only (Decree 45/2020): a paper linked from the applicant's data store
    # instead of uploaded again; ``file`` then names the stored file itself.
    reused_from = models.ForeignKey("store.StoredPaper", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="dossier_files")
    is_reused = models.BooleanField(_("dùng lại từ kho dữ liệu"), default=False)
    is_digitised = models.BooleanField(_("đã số hóa"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dossier", "component__order", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class StepRecord(models.Model):
    """One row of the control sheet: a step of the internal process as it happened."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="step_records")
    step = models.ForeignKey("catalog.ProcessStep", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=300)
    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, related_name="+")
    giver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    receiver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    allotted_hours = models.DecimalField(max_digits=6, decimal_places=2)
    finished_at = models.DateTimeField(null=True, blank=True)
    handed_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    paused_seconds = models.FloatField(default=0)
    timeliness = models.CharField(max_length=10, choices=Timeliness.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "started_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier.code}: {self.name}"


class SupplementRequest(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplements")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField()
    status_before = models.PositiveSmallIntegerField(choices=Status.choices)
    reason = models.TextField(_("lý do"))
    items = models.JSONField(_("giấy tờ cần bổ sung"), default=list)
    supplied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "requested_at"]

    def __str__(self) -> str:
        return f"{self.dossier_id} @ {self.requested_at:%Y-%m-%d %H:%M}"


class FinancialObligation(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="obligations")
    amount = models.PositiveBigIntegerField(_("số tiền (VNĐ)"))
    reason = models.TextField(_("nội dung"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField()
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    fulfilled_reference = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.amount} VND"


class Apology(models.Model):
    """An apology and extension letter (form 04): sent before the deadline."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="apologies")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField()
    reason = models.TextField(_("lý do"))
    previous_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField(_("ngày hẹn mới"))

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.new_due_at:%Y-%m-%d %H:%M}"


class Rating(models.Model):
    """The applicant's satisfaction rating: 9 indicators scored 2/1/0."""

    INDICATORS = (
        ("total_time", _("Tổng thời gian giải quyết so với quy định")),
        ("agency_time", _("Thời gian của từng cơ quan so với quy định")),
        ("contacts", _("Số lần phải liên hệ để hoàn thiện hồ sơ")),
        ("agencies_contacted", _("Số cơ quan, đơn vị phải liên hệ")),
        ("one_stop", _("Thực hiện tại bộ phận một cửa")),
        ("published", _("Thủ tục được công khai đầy đủ")),
        ("attitude", _("Thái độ của cán bộ, công chức")),
        ("feedback", _("Tiếp nhận, xử lý phản ánh, kiến nghị")),
        ("online_quality", _("Chất lượng dịch vụ công trực tuyến")),
    )
    SCORES = ((2, _("Hài lòng")), (1, _("Bình thường")), (0, _("Không hài lòng")))

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    scores = models.JSONField()
    comment = models.TextField(_("ý kiến khác"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.total}/18"

    @property
    def total(self) -> int:
        return sum(self.scores.values())


class Notification(models.Model):
    """A message to the applicant, kept so that delivery can be checked and retried."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    language = models.CharField(max_length=5)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "created_at"]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="notification_pending_idx")]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"
