"""Document exchange: peers, the outbox (per destination, in order), the inbox (dedupe),
refused packages and the statuses received back for the documents sent."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Peer(models.Model):
    """Another digigov instance (or any edXML endpoint) and the organ codes it serves."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("tên"), max_length=200)
    endpoint_url = models.URLField(_("địa chỉ nhận gói tin"), max_length=500)
    # The peer's signing certificate, or the CA that issues its agencies' certificates (PEM).
    certificate_pem = models.TextField(_("chứng thư ký số (PEM)"))
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)

    class Meta:
        verbose_name = _("hệ thống liên thông")
        verbose_name_plural = _("hệ thống liên thông")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def organ_codes(self) -> list[str]:
        return [o.code for o in self.organs.all()]


class PeerOrgan(models.Model):
    """An organ code served by a peer: packages for it go to that peer."""

    peer = models.ForeignKey(Peer, on_delete=models.CASCADE, related_name="organs",
                             verbose_name=_("hệ thống liên thông"))
    code = models.CharField(_("mã định danh"), max_length=35, unique=True)

    class Meta:
        verbose_name = _("mã định danh của hệ thống liên thông")
        verbose_name_plural = _("mã định danh của hệ thống liên thông")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Channel(models.Model):
    """One destination: this instance itself (local delivery) or one peer. Packages to a
    destination carry consecutive sequence numbers and are delivered in that order."""

    key = models.CharField(max_length=60, unique=True)
    peer = models.OneToOneField(Peer, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="channel", verbose_name=_("hệ thống liên thông"))
    next_seq = models.PositiveBigIntegerField(default=1)
    # A worker holds the channel while it delivers (no two workers send to one peer).
    lease_owner = models.CharField(max_length=80, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kênh gửi")
        verbose_name_plural = _("kênh gửi")

    def __str__(self) -> str:
        return str(self.peer) if self.peer_id else str(_("Trong hệ thống"))


class Kind(models.TextChoices):
    DOCUMENT = "document", _("văn bản")
    STATUS = "status", _("trạng thái")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("chờ gửi")
    DELIVERED = "delivered", _("đã gửi")
    REFUSED = "refused", _("bị từ chối")


class OutboxMessage(models.Model):
    """One signed package for one destination."""

    uuid = models.UUIDField(_("mã gói tin"), default=uuid.uuid4, unique=True, editable=False)
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="messages",
                                verbose_name=_("kênh gửi"))
    seq = models.PositiveBigIntegerField(_("thứ tự"))
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    document_id = models.CharField("DocumentId", max_length=200, db_index=True)
    business_type = models.PositiveSmallIntegerField(_("loại nghiệp vụ"), null=True, blank=True)
    status_code = models.CharField(_("mã trạng thái"), max_length=2, blank=True)
    sender_code = models.CharField(_("cơ quan gửi"), max_length=35)
    recipient_code = models.CharField(_("cơ quan nhận"), max_length=35, db_index=True)
    subject = models.CharField(_("trích yếu"), max_length=500, blank=True)
    payload = models.BinaryField(_("gói tin đã ký"))
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    # The outgoing document (digigov.documents) this package carries, if any.
    outgoing_document_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    state = models.CharField(_("trạng thái"), max_length=10, choices=OutboxState.choices,
                             default=OutboxState.PENDING)
    attempts = models.PositiveIntegerField(_("số lần thử"), default=0)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("lần thử gần nhất"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    delivered_at = models.DateTimeField(_("gửi xong lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)

    class Meta:
        verbose_name = _("gói tin gửi đi")
        verbose_name_plural = _("gói tin gửi đi")
        ordering = ["-created_at", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "seq"], name="exchange_outbox_seq"),
        ]
        indexes = [models.Index(fields=["channel", "state", "seq"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.document_id} → {self.recipient_code}"


# edXMLBusiness/BusinessDocType
BUSINESS_LABELS = {
    0: _("Văn bản mới"),
    1: _("Thu hồi"),
    2: _("Cập nhật"),
    3: _("Thay thế"),
}


class InboxState(models.TextChoices):
    REGISTERED = "registered", _("đã vào sổ")
    REFUSED = "refused", _("từ chối")
    RECORDED = "recorded", _("đã ghi nhận")


class InboxMessage(models.Model):
    """One package received and accepted (its signature checked). The package id and,
    for documents, (DocumentId, business type, recipient) are accepted once."""

    package_id = models.UUIDField(_("mã gói tin"), db_index=True)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    document_id = models.CharField("DocumentId", max_length=200, db_index=True)
    business_type = models.PositiveSmallIntegerField(_("loại nghiệp vụ"), null=True, blank=True)
    status_code = models.CharField(_("mã trạng thái"), max_length=2, blank=True)
    sender_code = models.CharField(_("cơ quan gửi"), max_length=35)
    sender_name = models.CharField(_("tên cơ quan gửi"), max_length=255, blank=True)
    recipient_code = models.CharField(_("cơ quan nhận"), max_length=35, db_index=True)
    subject = models.CharField(_("trích yếu"), max_length=500, blank=True)
    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("hệ thống liên thông"))
    signer_subject = models.CharField(_("chứng thư của gói tin"), max_length=500, blank=True)
    signer_fingerprint = models.CharField(max_length=64, blank=True)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    state = models.CharField(_("trạng thái"), max_length=10, choices=InboxState.choices)
    note = models.TextField(_("ghi chú"), blank=True)
    # The incoming document (digigov.documents) this package registered, revoked, updated
    # or replaced; set in the receipt's transaction. Kept (emptied) if the document goes.
    incoming_document = models.ForeignKey(
        "documents.IncomingDocument", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="exchange_packages", verbose_name=_("văn bản đến"))
    received_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("gói tin nhận được")
        verbose_name_plural = _("gói tin nhận được")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["package_id", "recipient_code"],
                                    name="exchange_inbox_package_once"),
            models.UniqueConstraint(fields=["document_id", "business_type", "recipient_code"],
                                    condition=Q(kind="document"),
                                    name="exchange_inbox_document_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.document_id} ← {self.sender_code}"

    @property
    def business_label(self) -> str:
        if self.business_type is None:
            return ""
        return str(BUSINESS_LABELS.get(self.business_type, self.business_type))


class RejectedPackage(models.Model):
    """A package refused before acceptance (not edXML, bad signature, unknown sender):
    what was claimed and why; the package itself is not kept."""

    received_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)
    reason = models.TextField(_("lý do"))
    claimed_sender = models.CharField(_("cơ quan gửi (theo gói tin)"), max_length=100,
                                      blank=True)
    claimed_document_id = models.CharField("DocumentId", max_length=200, blank=True)
    package_id = models.CharField(_("mã gói tin"), max_length=60, blank=True)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    remote_addr = models.CharField(_("địa chỉ gửi"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("gói tin bị từ chối")
        verbose_name_plural = _("gói tin bị từ chối")
        ordering = ["-received_at", "-pk"]
        # The log's page lists by time and the pruning deletes by time.
        indexes = [models.Index(fields=["received_at"], name="exchange_rejected_at")]

    def __str__(self) -> str:
        return f"{self.claimed_document_id or self.sha256[:12]}: {self.reason[:60]}"


class StatusRecord(models.Model):
    """A status a recipient reported back for a document this instance sent."""

    package_id = models.UUIDField(_("mã gói tin"), unique=True)
    document_id = models.CharField("DocumentId", max_length=200, db_index=True)
    recipient_code = models.CharField(_("cơ quan nhận"), max_length=35)
    status_code = models.CharField(_("mã trạng thái"), max_length=2)
    description = models.TextField(_("mô tả"), blank=True)
    at = models.DateTimeField(_("thời điểm"))
    outgoing_document_id = models.BigIntegerField(null=True, blank=True)
    received_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("trạng thái văn bản đã gửi")
        verbose_name_plural = _("trạng thái văn bản đã gửi")
        ordering = ["document_id", "recipient_code", "at"]

    def __str__(self) -> str:
        return f"{self.document_id} {self.recipient_code} {self.status_code}"
