"""Signing credentials, trust roots and the register of issued (signed) documents."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TrustRoot(models.Model):
    """A root certificate this instance trusts: its own local CA or an imported root."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    label = models.CharField(_("tên"), max_length=200)
    certificate = models.BinaryField(_("chứng thư (DER)"))
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64, unique=True)
    subject = models.CharField(_("chủ thể"), max_length=500)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    is_local_ca = models.BooleanField(_("CA nội bộ của hệ thống"), default=False)
    # Only the local CA has a key here, encrypted (keystore.py); imported roots never do.
    encrypted_key = models.BinaryField(null=True, blank=True, editable=False)
    # The local CA's latest revocation list (DER), signed when a certificate is revoked
    # or when the last one nears its next update; every verification reads it.
    crl = models.BinaryField(null=True, blank=True, editable=False)
    crl_next_update = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)

    class Meta:
        verbose_name = _("chứng thư gốc tin cậy")
        verbose_name_plural = _("chứng thư gốc tin cậy")
        constraints = [
            models.UniqueConstraint(fields=["is_local_ca"], condition=Q(is_local_ca=True),
                                    name="signing_one_local_ca"),
            models.CheckConstraint(condition=Q(is_local_ca=False) | Q(encrypted_key__isnull=False),
                                   name="signing_local_ca_has_key"),
        ]

    def __str__(self) -> str:
        return self.label


class SigningCredential(models.Model):
    """A signing certificate with its key, held by an agency (seal) or an officer (personal)."""

    class Holder(models.TextChoices):
        AGENCY = "agency", _("cơ quan")
        OFFICER = "officer", _("cán bộ")

    class Source(models.TextChoices):
        LOCAL_CA = "local_ca", _("CA nội bộ")
        PKCS12 = "pkcs12", _("tệp PKCS#12")
        PKCS11 = "pkcs11", _("thiết bị PKCS#11")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    holder = models.CharField(_("chủ sở hữu"), max_length=10, choices=Holder.choices)
    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="signing_credentials", verbose_name=_("cơ quan"))
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="signing_credentials",
                                verbose_name=_("cán bộ"))
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices)
    certificate = models.BinaryField(_("chứng thư (DER)"))
    # Intermediate certificates (PEM, concatenated) sent along with each signature.
    chain_pem = models.TextField(_("chuỗi chứng thư trung gian"), blank=True)
    encrypted_key = models.BinaryField(null=True, blank=True, editable=False)
    pkcs11_key_label = models.CharField(_("nhãn khóa trên thiết bị"), max_length=200, blank=True)
    subject = models.CharField(_("chủ thể"), max_length=500)
    issuer = models.CharField(_("tổ chức cấp"), max_length=500)
    serial = models.CharField(_("số hiệu"), max_length=80)
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64, unique=True)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    is_active = models.BooleanField(_("đang dùng"), default=True)
    revoked_at = models.DateTimeField(_("thời điểm thu hồi"), null=True, blank=True)
    revocation_reason = models.CharField(_("lý do thu hồi"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)

    class Meta:
        verbose_name = _("chứng thư ký số")
        verbose_name_plural = _("chứng thư ký số")
        constraints = [
            models.CheckConstraint(
                condition=(Q(holder="agency", agency__isnull=False, officer__isnull=True)
                           | Q(holder="officer", officer__isnull=False, agency__isnull=True)),
                name="signing_credential_one_holder",
            ),
            models.CheckConstraint(
                condition=Q(source="pkcs11") | Q(encrypted_key__isnull=False),
                name="signing_credential_has_key",
            ),
        ]
        indexes = [models.Index(fields=["holder", "agency", "officer", "is_active"])]

    def __str__(self) -> str:
        return self.subject


class IssuedDocument(models.Model):
    """Every signed document the system issued, to check copies against (sha256)."""

    class Kind(models.TextChoices):
        RESULT = "result", _("kết quả giải quyết")
        FORM = "form", _("biểu mẫu")
        ATTACHMENT = "attachment", _("văn bản kèm theo")
        DIGITISED = "digitised", _("bản số hóa")
        OFFICIAL = "official", _("văn bản hành chính")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="issued_documents",
                                verbose_name=_("hồ sơ"))
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("trích yếu"), max_length=500)
    number = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    file = models.FileField(_("tệp đã ký"), upload_to="signed/%Y/%m/")
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, db_index=True)
    issued_at = models.DateTimeField(_("thời điểm ban hành"), default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("người ban hành"))
    # [{"role": "officer"|"agency", "subject": ..., "fingerprint": ...}]: what the PDF shows.
    signers = models.JSONField(_("người ký"), default=list)

    class Meta:
        verbose_name = _("văn bản đã ban hành")
        verbose_name_plural = _("văn bản đã ban hành")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()
