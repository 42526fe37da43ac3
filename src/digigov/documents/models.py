"""Official documents (Decree 30/2020/ND-CP): outgoing, incoming, their registers.

An outgoing document is drafted, reviewed, approved, signed by the competent
person (its number is taken at that moment), sealed and sent by the clerk.
An incoming document is received (electronically or on paper), checked,
registered with a yearly incoming number, assigned, processed and followed up.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import Authority, Secrecy, Urgency, type_choices, type_label, type_name


class DocumentCounter(models.Model):
    """The last number given in one series of one agency in one year.

    Series: ``chung`` (công văn and every other administrative type), ``mat``
    (secret documents), ``qppl_<type>`` (each normative type), ``den`` and
    ``den_mat`` (incoming documents). Incremented by a single UPDATE ... RETURNING.
    """

    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=40)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm số văn bản")
        verbose_name_plural = _("bộ đếm số văn bản")
        constraints = [models.UniqueConstraint(fields=["agency", "year", "series"],
                                               name="documents_one_counter_per_series")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year} {self.series}: {self.last}"


class IssuerProfile(models.Model):
    """How an agency writes its notation: "UBND" in "05/QĐ-UBND" and "123/UBND-VP"."""

    agency = models.OneToOneField("orgs.Agency", on_delete=models.CASCADE,
                                  related_name="document_profile", verbose_name=_("cơ quan"))
    abbreviation = models.CharField(_("chữ viết tắt tên cơ quan"), max_length=30)
    place = models.CharField(_("địa danh ghi trên văn bản"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("thông tin ban hành văn bản của cơ quan")
        verbose_name_plural = _("thông tin ban hành văn bản của cơ quan")

    def __str__(self) -> str:
        return f"{self.abbreviation} ({self.agency_id})"


class Clearance(models.Model):
    """Who may read secret documents of an agency, up to which level (documented in
    docs/official-documents.md): Mật 1, Tối mật 2, Tuyệt mật 3."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="document_clearances", verbose_name=_("cán bộ"))
    agency = models.ForeignKey("orgs.Agency", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("cơ quan"))
    level = models.CharField(_("độ mật được tiếp cận"), max_length=10,
                             choices=[c for c in Secrecy.choices if c[0]])
    granted_at = models.DateTimeField(_("ngày cấp"), default=timezone.now)

    class Meta:
        verbose_name = _("quyền tiếp cận văn bản mật")
        verbose_name_plural = _("quyền tiếp cận văn bản mật")
        constraints = [models.UniqueConstraint(fields=["user", "agency"],
                                               name="documents_one_clearance_per_agency")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_level_display()} — {self.agency_id}"


class OutgoingStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    IN_REVIEW = "in_review", _("Đang xem xét")
    RETURNED = "returned", _("Trả lại để sửa")
    PENDING_APPROVAL = "pending_approval", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt, chờ ký")
    SIGNED = "signed", _("Đã ký, chờ phát hành")
    ISSUED = "issued", _("Đã phát hành")


class OutgoingDocument(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT,
                               related_name="outgoing_documents",
                               verbose_name=_("cơ quan ban hành"))
    type_code = models.CharField(_("loại văn bản"), max_length=30, choices=type_choices())
    subject = models.CharField(_("trích yếu"), max_length=500)
    body = models.TextField(_("nội dung"), blank=True)
    body_file = models.FileField(_("tệp dự thảo"), upload_to="documents/drafts/%Y/%m/",
                                 blank=True)
    urgency = models.CharField(_("độ khẩn"), max_length=12, choices=Urgency.choices,
                               blank=True, default="")
    secrecy = models.CharField(_("độ mật"), max_length=10, choices=Secrecy.choices,
                               blank=True, default="")
    drafting_unit = models.CharField(
        _("đơn vị soạn thảo (viết tắt)"), max_length=30, blank=True,
        help_text=_("Dùng trong ký hiệu công văn, ví dụ VP trong 123/UBND-VP."))
    drafter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="drafted_documents", verbose_name=_("người soạn"))
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="documents_to_approve",
                                 verbose_name=_("người có thẩm quyền ký"))
    signer_authority = models.CharField(_("quyền hạn ký"), max_length=5,
                                        choices=Authority.choices, blank=True, default="")
    authority_of = models.CharField(
        _("thay mặt, ký thay cho"), max_length=200, blank=True,
        help_text=_("Ví dụ: ỦY BAN NHÂN DÂN (sau TM.) hoặc CHỦ TỊCH (sau KT.)."))
    signer_title = models.CharField(_("chức vụ người ký"), max_length=200, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=200, blank=True)
    recipients_text = models.TextField(
        _("nơi nhận khác"), blank=True,
        help_text=_("Mỗi dòng một nơi nhận, ví dụ: Lưu: VT, VP."))
    copies = models.PositiveSmallIntegerField(_("số lượng bản"), default=1)
    due_on = models.DateField(_("hạn trả lời"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=OutgoingStatus.choices,
                              default=OutgoingStatus.DRAFT)
    # Numbering: taken when the competent person signs, never reused.
    series = models.CharField(max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    notation = models.CharField(_("ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày văn bản"), null=True, blank=True)
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    document_id = models.CharField(_("mã văn bản (DocumentId)"), max_length=200, blank=True,
                                   db_index=True)
    signed_pdf = models.FileField(_("tệp đã ký"), upload_to="documents/outgoing/%Y/%m/",
                                  blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # Where the personal mark and the seal go (PDF points), measured when the PDF was laid out.
    signature_boxes = models.JSONField(default=dict, blank=True, editable=False)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("người ký"))
    signed_at = models.DateTimeField(_("thời điểm ký"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("văn thư phát hành"))
    issued_at = models.DateTimeField(_("thời điểm phát hành"), null=True, blank=True)
    keeping_unit = models.CharField(_("đơn vị, người nhận bản lưu"), max_length=200, blank=True)
    register_note = models.CharField(_("ghi chú sổ đăng ký"), max_length=300, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("văn bản đi")
        verbose_name_plural = _("văn bản đi")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "series", "number"],
                                    condition=Q(number__isnull=False),
                                    name="documents_outgoing_number_unique"),
        ]
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.number_notation or _('Dự thảo')} {self.subject}"

    @property
    def number_notation(self) -> str:
        if self.number is None:
            return ""
        return f"{self.number:02d}/{self.notation}"

    @property
    def type_name(self) -> str:
        return type_name(self.type_code)

    @property
    def type_label(self) -> str:
        return type_label(self.type_code)

    @property
    def is_secret(self) -> bool:
        return bool(self.secrecy)


class ReviewStep(models.Model):
    """One reviewer in the chain drafter -> reviewers -> approver, in order."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Chờ xem xét")
        APPROVED = "approved", _("Đồng ý")
        RETURNED = "returned", _("Trả lại")

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE,
                                 related_name="review_steps")
    round = models.PositiveSmallIntegerField(default=1)
    order = models.PositiveSmallIntegerField()
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("người xem xét"))
    is_approver = models.BooleanField(default=False)
    decision = models.CharField(_("ý kiến"), max_length=10, choices=Decision.choices,
                                default=Decision.PENDING)
    comment = models.TextField(_("nhận xét"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "order"]
        verbose_name = _("bước xem xét")
        verbose_name_plural = _("bước xem xét")

    def __str__(self) -> str:
        return f"{self.round}.{self.order} {self.reviewer_id} {self.decision}"


class OutgoingRecipient(models.Model):
    """Where an outgoing document goes: a unit or person inside, or an organ code outside."""

    class Kind(models.TextChoices):
        UNIT = "unit", _("Đơn vị trong cơ quan")
        PERSON = "person", _("Cá nhân trong cơ quan")
        EXTERNAL = "external", _("Cơ quan bên ngoài")

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE,
                                 related_name="recipients")
    kind = models.CharField(_("loại nơi nhận"), max_length=10, choices=Kind.choices)
    unit = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("đơn vị"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+", verbose_name=_("cá nhân"))
    organ_code = models.CharField(_("mã định danh"), max_length=35, blank=True)
    name = models.CharField(_("tên nơi nhận"), max_length=255)
    sent_at = models.DateTimeField(_("ngày chuyển"), null=True, blank=True)
    status = models.CharField(_("trạng thái liên thông"), max_length=2, blank=True)
    status_at = models.DateTimeField(null=True, blank=True)
    received_by = models.CharField(_("người nhận"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("nơi nhận")
        verbose_name_plural = _("nơi nhận")

    def __str__(self) -> str:
        return self.name


class ExchangeStatus(models.Model):
    """A status message about an outgoing document from one recipient (edXML 01..16)."""

    class Code(models.TextChoices):
        ARRIVED = "01", _("Đã đến")
        REFUSED = "02", _("Từ chối tiếp nhận")
        ACCEPTED = "03", _("Đã tiếp nhận, vào sổ")
        ASSIGNED = "04", _("Đã phân công")
        PROCESSING = "05", _("Đang xử lý")
        COMPLETED = "06", _("Đã hoàn thành")
        RECALL_REQUESTED = "13", _("Đề nghị thu hồi")
        RECALL_AGREED = "15", _("Đồng ý thu hồi, cập nhật")
        RECALL_REFUSED = "16", _("Từ chối thu hồi, cập nhật")

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE,
                                 related_name="exchange_statuses")
    recipient_code = models.CharField(_("mã nơi nhận"), max_length=35)
    status = models.CharField(_("trạng thái"), max_length=2)
    at = models.DateTimeField(_("thời điểm"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("trạng thái liên thông")
        verbose_name_plural = _("trạng thái liên thông")

    def __str__(self) -> str:
        return f"{self.recipient_code} {self.status}"

    @property
    def label(self) -> str:
        try:
            return str(self.Code(self.status).label)
        except ValueError:
            return self.status


class OutgoingAttachment(models.Model):
    """A separate-file attachment (PDF): signed by the agency, top right of page 1."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE,
                                 related_name="attachments")
    filename = models.CharField(_("tên tệp"), max_length=255)
    media_type = models.CharField(max_length=100, default="application/pdf")
    file = models.FileField(_("tệp"), upload_to="documents/outgoing-att/%Y/%m/")
    signed_file = models.FileField(_("tệp đã ký"), upload_to="documents/outgoing-att/%Y/%m/",
                                   blank=True)
    text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("tệp đính kèm văn bản đi")
        verbose_name_plural = _("tệp đính kèm văn bản đi")

    def __str__(self) -> str:
        return self.filename


class IncomingStatus(models.TextChoices):
    REGISTERED = "registered", _("Đã vào sổ")
    ASSIGNED = "assigned", _("Đã phân công")
    PROCESSING = "processing", _("Đang xử lý")
    COMPLETED = "completed", _("Đã hoàn thành")
    REVOKED = "revoked", _("Đã bị thu hồi")
    REPLACED = "replaced", _("Đã được thay thế")


class IncomingDocument(models.Model):
    class Source(models.TextChoices):
        ELECTRONIC = "electronic", _("Văn bản điện tử")
        PAPER = "paper", _("Văn bản giấy")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT,
                                  related_name="incoming_documents",
                                  verbose_name=_("cơ quan nhận"))
    source = models.CharField(_("hình thức"), max_length=10, choices=Source.choices)
    sender_code = models.CharField(_("mã cơ quan gửi"), max_length=35, blank=True)
    sender_name = models.CharField(_("tác giả (cơ quan ban hành)"), max_length=255)
    document_id = models.CharField(_("mã văn bản (DocumentId)"), max_length=200, blank=True)
    number = models.CharField(_("số"), max_length=20, blank=True)
    notation = models.CharField(_("ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày văn bản"))
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    type_code = models.CharField(_("loại văn bản"), max_length=30)
    subject = models.CharField(_("trích yếu"), max_length=500)
    body = models.TextField(_("nội dung"), blank=True)
    signer_name = models.CharField(_("người ký"), max_length=200, blank=True)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=200, blank=True)
    signer_authority = models.CharField(_("quyền hạn ký"), max_length=200, blank=True)
    due_on = models.DateField(_("hạn trả lời"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(_("độ khẩn (edXML)"), default=0)
    urgency = models.CharField(_("độ khẩn"), max_length=12, choices=Urgency.choices,
                               blank=True, default="")
    secrecy = models.CharField(_("độ mật"), max_length=10, choices=Secrecy.choices,
                               blank=True, default="")
    business_type = models.PositiveSmallIntegerField(_("loại nghiệp vụ"), default=0)
    received_at = models.DateTimeField(_("ngày đến"))
    year = models.PositiveSmallIntegerField()
    series = models.CharField(max_length=20, default="den")
    incoming_number = models.PositiveIntegerField(_("số đến"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+",
                                      verbose_name=_("người vào sổ"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=IncomingStatus.choices,
                              default=IncomingStatus.REGISTERED)
    # Authenticity and integrity: None = nothing to check (paper without a signed PDF).
    signatures_valid = models.BooleanField(_("chữ ký số hợp lệ"), null=True)
    verification = models.JSONField(_("kết quả kiểm tra chữ ký"), default=list, blank=True)
    deadline = models.DateField(_("hạn xử lý"), null=True, blank=True)
    passed_on_at = models.DateTimeField(_("ngày chuyển"), null=True, blank=True)
    handled_by = models.CharField(_("đơn vị, người nhận"), max_length=300, blank=True)
    completed_at = models.DateTimeField(_("ngày hoàn thành"), null=True, blank=True)
    result_note = models.TextField(_("kết quả xử lý"), blank=True)
    register_note = models.CharField(_("ghi chú sổ đăng ký"), max_length=300, blank=True)
    replaces = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="replaced_by", verbose_name=_("thay thế văn bản"))
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("văn bản đến")
        verbose_name_plural = _("văn bản đến")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "year", "series", "incoming_number"],
                                    name="documents_incoming_number_unique"),
            models.UniqueConstraint(fields=["recipient", "document_id"],
                                    condition=~Q(document_id="") & ~Q(status="replaced"),
                                    name="documents_incoming_document_id_unique"),
        ]
        indexes = [models.Index(fields=["recipient", "status"])]

    def __str__(self) -> str:
        return f"{self.incoming_number} — {self.number_notation} {self.subject}"

    @property
    def number_notation(self) -> str:
        if self.number and self.notation:
            return f"{self.number}/{self.notation}"
        return self.number or self.notation

    @property
    def type_name(self) -> str:
        return type_name(self.type_code)

    @property
    def type_label(self) -> str:
        return type_label(self.type_code)

    @property
    def is_open(self) -> bool:
        return self.status in (IncomingStatus.REGISTERED, IncomingStatus.ASSIGNED,
                               IncomingStatus.PROCESSING)

    @property
    def is_overdue(self) -> bool:
        return bool(self.deadline and self.is_open
                    and self.deadline < timezone.localdate())


class IncomingAttachment(models.Model):
    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE,
                                 related_name="attachments")
    filename = models.CharField(_("tên tệp"), max_length=255)
    media_type = models.CharField(max_length=100)
    file = models.FileField(_("tệp"), upload_to="documents/incoming/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    text = models.TextField(blank=True, editable=False)
    # The text for search is still to be extracted (documents.extraction).
    text_pending = models.BooleanField(default=False, editable=False)
    verification = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["id"], condition=Q(text_pending=True),
                                name="documents_incatt_text_pending")]
        verbose_name = _("tệp văn bản đến")
        verbose_name_plural = _("tệp văn bản đến")

    def __str__(self) -> str:
        return self.filename


class Assignment(models.Model):
    """A leader's assignment of an incoming document to a unit or a person."""

    class Role(models.TextChoices):
        MAIN = "main", _("Chủ trì")
        SUPPORT = "support", _("Phối hợp")
        INFO = "info", _("Để biết")

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE,
                                 related_name="assignments")
    unit = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("đơn vị"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="document_assignments",
                               verbose_name=_("cá nhân"))
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices,
                            default=Role.MAIN)
    deadline = models.DateField(_("hạn xử lý"), null=True, blank=True)
    directions = models.TextField(_("ý kiến chỉ đạo"), blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("người giao"))
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assigned_at", "pk"]
        verbose_name = _("phân công xử lý")
        verbose_name_plural = _("phân công xử lý")
        constraints = [models.CheckConstraint(
            condition=Q(unit__isnull=False) | Q(person__isnull=False),
            name="documents_assignment_has_target")]

    def __str__(self) -> str:
        return str(self.person or self.unit)


class ProcessingNote(models.Model):
    """Processing, opinions, follow-up and completion of an incoming document."""

    class Kind(models.TextChoices):
        OPINION = "opinion", _("Ý kiến")
        PROGRESS = "progress", _("Tiến độ xử lý")
        FOLLOW_UP = "follow_up", _("Đôn đốc")
        COMPLETION = "completion", _("Hoàn thành")

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE,
                                 related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("nội dung"))
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("ghi nhận xử lý")
        verbose_name_plural = _("ghi nhận xử lý")

    def __str__(self) -> str:
        return f"{self.kind}: {self.text[:50]}"


class SenderNotice(models.Model):
    """A status message owed to the sender of an incoming document (03 on registration,
    04 assigned, 05 processing, 06 completed, 02 refused, 15 revoked as asked).
    The exchange sends the electronic ones and stamps ``sent_at``."""

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE,
                                 related_name="sender_notices")
    sender_code = models.CharField(max_length=35)
    status = models.CharField(max_length=2)
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("thông báo cho nơi gửi")
        verbose_name_plural = _("thông báo cho nơi gửi")

    def __str__(self) -> str:
        return f"{self.sender_code} {self.status}"

    @property
    def label(self) -> str:
        try:
            return str(ExchangeStatus.Code(self.status).label)
        except ValueError:
            return self.status
