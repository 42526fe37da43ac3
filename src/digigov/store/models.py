"""The electronic data store of citizens and businesses (DOMAIN.md section 4, once-only).

Every signed result and every digitised component is kept for its owner as
a ``StoredPaper`` of a known ``PaperKind``. A dossier component that accepts
that kind can then link the stored paper instead of asking for it again;
each such use is logged in ``PaperUse``.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PaperKind(models.Model):
    """A kind of paper the state issues (ID card, birth certificate, ...)."""

    code = models.SlugField(_("mã loại giấy tờ"), max_length=40, unique=True)
    name = models.CharField(_("tên loại giấy tờ"), max_length=300)

    class Meta:
        ordering = ["name"]
        verbose_name = _("loại giấy tờ")
        verbose_name_plural = _("loại giấy tờ")

    def __str__(self) -> str:
        return self.name


class ComponentKind(models.Model):
    """The kind of paper a dossier component accepts: what makes it reusable from the store."""

    component = models.OneToOneField("catalog.ComponentSpec", on_delete=models.CASCADE,
                                     related_name="paper_kind_link",
                                     verbose_name=_("thành phần hồ sơ"))
    kind = models.ForeignKey(PaperKind, on_delete=models.PROTECT, related_name="components",
                             verbose_name=_("loại giấy tờ"))

    class Meta:
        verbose_name = _("loại giấy tờ của thành phần hồ sơ")
        verbose_name_plural = _("loại giấy tờ của thành phần hồ sơ")

    def __str__(self) -> str:
        return f"{self.component} → {self.kind}"


class ResultKind(models.Model):
    """The kind of paper a procedure's result is: where its signed result is filed."""

    procedure = models.OneToOneField("catalog.Procedure", on_delete=models.CASCADE,
                                     related_name="result_kind_link",
                                     verbose_name=_("thủ tục"))
    kind = models.ForeignKey(PaperKind, on_delete=models.PROTECT, related_name="procedures",
                             verbose_name=_("loại giấy tờ"))

    class Meta:
        verbose_name = _("loại giấy tờ của kết quả thủ tục")
        verbose_name_plural = _("loại giấy tờ của kết quả thủ tục")

    def __str__(self) -> str:
        return f"{self.procedure} → {self.kind}"


class Source(models.TextChoices):
    RESULT = "result", _("Kết quả giải quyết thủ tục hành chính")
    DIGITISED = "digitised", _("Số hóa từ thành phần hồ sơ")
    UPLOADED = "uploaded", _("Chủ sở hữu tự tải lên")


def stored_paper_path(instance: StoredPaper, filename: str) -> str:
    # No personal data in paths: a random name under the owner's UUID.
    return f"store/{instance.owner.uuid}/{uuid.uuid4().hex}"


class StoredPaper(models.Model):
    """One paper in its owner's data store."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="stored_papers", verbose_name=_("chủ sở hữu"))
    kind = models.ForeignKey(PaperKind, on_delete=models.PROTECT, related_name="papers",
                             verbose_name=_("loại giấy tờ"))
    title = models.CharField(_("tên giấy tờ"), max_length=300)
    issuer_name = models.CharField(_("cơ quan cấp"), max_length=300, blank=True)
    issuer_code = models.CharField(_("mã định danh cơ quan cấp"), max_length=35, blank=True)
    number = models.CharField(_("số giấy tờ"), max_length=100, blank=True)
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    valid_until = models.DateField(_("có giá trị đến"), null=True, blank=True,
                                   help_text=_("Bỏ trống nếu giấy tờ không có thời hạn."))
    file = models.FileField(upload_to=stored_paper_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices)
    dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="stored_papers",
                                verbose_name=_("hồ sơ"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("giấy tờ trong kho")
        verbose_name_plural = _("giấy tờ trong kho")
        indexes = [models.Index(fields=["owner", "kind"])]

    def __str__(self) -> str:
        return self.title

    def is_valid_on(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.valid_until is None or self.valid_until >= day

    @property
    def is_valid(self) -> bool:
        return self.is_valid_on()


class AppendOnly(Exception):
    """Raised on an attempt to change or delete a row of an append-only log."""


class PaperUse(models.Model):
    """Which agency used which stored paper for which dossier: append-only."""

    class How(models.TextChoices):
        ONLINE = "online", _("Nộp hồ sơ trực tuyến")
        COUNTER = "counter", _("Nộp tại bộ phận một cửa")

    paper = models.ForeignKey(StoredPaper, on_delete=models.PROTECT, related_name="uses",
                              verbose_name=_("giấy tờ"))
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT,
                                related_name="paper_uses", verbose_name=_("hồ sơ"))
    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("cơ quan sử dụng"))
    used_at = models.DateTimeField(_("thời điểm sử dụng"))
    how = models.CharField(_("hình thức"), max_length=10, choices=How.choices)

    class Meta:
        ordering = ["-used_at", "-pk"]
        verbose_name = _("lượt sử dụng giấy tờ")
        verbose_name_plural = _("nhật ký sử dụng giấy tờ")

    def __str__(self) -> str:
        return f"{self.paper} → {self.dossier}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("PaperUse rows are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("PaperUse rows are never deleted.")
