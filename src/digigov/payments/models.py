"""Fees and payments (DOMAIN.md section 4: online payment; the dossier records how it was paid).

A ``FeeRule`` table refines the fixed fee of a procedure version; a
``Payment`` is one attempt to pay a dossier's fee or one of its financial
obligations, through a gateway or at the counter; a paid payment carries a
receipt number unique per agency per year.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from digigov.catalog.models import ApplicantType


class FeeRule(models.Model):
    """One row of a version's fee table: the first matching row (by order) sets the fee.

    Empty conditions match anything. With ``quantity_field`` the fee is
    ``amount`` × the number the applicant typed in that form field (for
    example pages × unit price); otherwise it is ``amount`` itself (0: exempt).
    """

    class ChannelCondition(models.IntegerChoices):
        # Mirrors dossiers.Channel without importing it (dossiers sits above payments).
        COUNTER = 1, _("Trực tiếp")
        ONLINE = 2, _("Trực tuyến")
        POSTAL = 3, _("Bưu chính công ích")

    version = models.ForeignKey("catalog.ProcedureVersion", on_delete=models.CASCADE,
                                related_name="fee_rules", verbose_name=_("phiên bản thủ tục"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    description = models.CharField(_("nội dung"), max_length=300)
    channel = models.PositiveSmallIntegerField(_("kênh nộp"), choices=ChannelCondition.choices,
                                               null=True, blank=True)
    applicant_type = models.CharField(_("đối tượng"), max_length=20, blank=True,
                                      choices=ApplicantType.choices)
    field_key = models.SlugField(_("trường tờ khai"), max_length=50, blank=True)
    field_value = models.CharField(_("giá trị trường"), max_length=200, blank=True)
    quantity_field = models.SlugField(_("trường số lượng"), max_length=50, blank=True)
    amount = models.PositiveBigIntegerField(_("số tiền / đơn giá (VNĐ)"))

    class Meta:
        ordering = ["version", "order", "pk"]
        verbose_name = _("quy tắc tính phí")
        verbose_name_plural = _("bảng tính phí, lệ phí")

    def __str__(self) -> str:
        return f"{self.order}. {self.description}"


class PaymentChannel(models.TextChoices):
    ONLINE = "online", _("Thanh toán trực tuyến")
    CASH = "cash", _("Nộp tiền mặt tại bộ phận một cửa")
    TRANSFER = "transfer", _("Chuyển khoản ngân hàng")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Không thành công")
    EXPIRED = "expired", _("Hết hạn")


class Payment(models.Model):
    """One payment of a dossier's fee (``obligation`` empty) or of one financial obligation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT,
                                related_name="payments", verbose_name=_("hồ sơ"))
    obligation = models.ForeignKey("dossiers.FinancialObligation", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="payments",
                                   verbose_name=_("nghĩa vụ tài chính"))
    channel = models.CharField(_("hình thức"), max_length=10, choices=PaymentChannel.choices)
    amount = models.PositiveBigIntegerField(_("số tiền (VNĐ)"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=PaymentStatus.choices,
                              default=PaymentStatus.PENDING, db_index=True)
    gateway = models.CharField(_("cổng thanh toán"), max_length=50, blank=True)
    gateway_reference = models.CharField(_("mã giao dịch"), max_length=100, blank=True)
    redirect_url = models.CharField(max_length=500, blank=True)
    failure_reason = models.TextField(_("lý do không thành công"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"))
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    receipt_agency = models.ForeignKey("orgs.Agency", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    receipt_year = models.PositiveSmallIntegerField(null=True, blank=True)
    receipt_sequence = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "created_at", "pk"]
        verbose_name = _("khoản thanh toán")
        verbose_name_plural = _("khoản thanh toán")
        constraints = [
            # Paying twice is impossible even for two racing notifications.
            models.UniqueConstraint(fields=["dossier"],
                                    condition=Q(status="paid", obligation__isnull=True),
                                    name="one_paid_fee_per_dossier"),
            models.UniqueConstraint(fields=["obligation"], condition=Q(status="paid"),
                                    name="one_paid_payment_per_obligation"),
            models.UniqueConstraint(fields=["gateway", "gateway_reference"],
                                    condition=~Q(gateway_reference=""),
                                    name="unique_gateway_reference"),
            models.UniqueConstraint(fields=["receipt_agency", "receipt_year", "receipt_sequence"],
                                    name="unique_receipt_number"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="payment_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.amount} VND ({self.status})"

    @property
    def receipt_number(self) -> str:
        """``BL2026-000123``: the agency's receipt series for the year."""
        if self.receipt_sequence is None:
            return ""
        return f"BL{self.receipt_year}-{self.receipt_sequence:06d}"

    @property
    def is_fee(self) -> bool:
        return self.obligation_id is None


class ReceiptSequence(models.Model):
    """The yearly receipt counter of an agency."""

    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="one_receipt_sequence_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}: {self.last}"


class SandboxTransaction(models.Model):
    """The sandbox gateway's own ledger: what a real gateway would keep on its side."""

    class State(models.TextChoices):
        OPEN = "open", _("Đang chờ")
        SUCCEEDED = "succeeded", _("Thành công")
        DECLINED = "declined", _("Bị từ chối")
        ABANDONED = "abandoned", _("Bỏ dở")

    transaction_id = models.CharField(max_length=40, unique=True)
    merchant_reference = models.CharField(max_length=100, db_index=True)
    amount = models.PositiveBigIntegerField()
    description = models.CharField(max_length=300)
    return_url = models.CharField(max_length=500)
    notify_url = models.CharField(max_length=500)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.transaction_id} {self.state}"
