"""The procedure catalog (DOMAIN.md section 2).

A ``Procedure`` is the stable identity (national code); everything the law
may change lives on a ``ProcedureVersion`` with an effective date. A dossier
keeps the version it was received under.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digigov.accounts.models import Role
from digigov.core.text import fold
from digigov.worktime.calendar import TimeUnit


class Sector(models.Model):
    code = models.CharField(_("mã lĩnh vực"), max_length=30, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self) -> str:
        return self.name


class ImplementingLevel(models.TextChoices):
    CENTRAL = "central", _("Cấp trung ương")
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class ApplicantType(models.TextChoices):
    CITIZEN = "citizen", _("Công dân Việt Nam")
    FOREIGNER = "foreigner", _("Người nước ngoài")
    BUSINESS = "business", _("Doanh nghiệp, tổ chức")


class ServiceLevel(models.TextChoices):
    FULL = "full", _("Dịch vụ công trực tuyến toàn trình")
    PARTIAL = "partial", _("Dịch vụ công trực tuyến một phần")
    NONE = "none", _("Chưa cung cấp trực tuyến")


class TimeLimitUnit(models.TextChoices):
    SAME_DAY = TimeUnit.SAME_DAY, _("trong ngày")
    WORKING_DAYS = TimeUnit.WORKING_DAYS, _("ngày làm việc")
    WORKING_HOURS = TimeUnit.WORKING_HOURS, _("giờ làm việc")
    CALENDAR_DAYS = TimeUnit.CALENDAR_DAYS, _("ngày")


class Procedure(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    national_code = models.CharField(_("mã thủ tục"), max_length=40, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=500)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=500, blank=True)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="procedures",
                               verbose_name=_("lĩnh vực"))
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=ImplementingLevel.choices)
    competent_agencies = models.ManyToManyField(
        "orgs.Agency", related_name="procedures", verbose_name=_("cơ quan có thẩm quyền")
    )
    is_published = models.BooleanField(_("đã công bố"), default=True)
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")

    def __str__(self) -> str:
        return f"{self.national_code} {self.name}"

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.national_code} {self.name} {self.name_en}")
        super().save(*args, **kwargs)

    def version_on(self, when=None) -> "ProcedureVersion | None":
        """The version in force at ``when`` (default: now)."""
        day = timezone.localdate(when) if when else timezone.localdate()
        loaded = self._prefetched("versions")
        if loaded is not None:  # dossiers.intake_catalog loads them: choose without a query
            in_force = [v for v in loaded if v.effective_from <= day
                        and (v.effective_to is None or v.effective_to >= day)]
            return max(in_force, key=lambda v: v.effective_from, default=None)
        return (
            self.versions.filter(effective_from__lte=day)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
            .order_by("-effective_from")
            .first()
        )


    def competent_agency_ids(self) -> set[int]:
        """The agencies competent for this procedure that are active today."""
        loaded = self._prefetched("competent_agencies")
        if loaded is not None:
            return {agency.pk for agency in loaded if agency.is_active}
        return set(self.competent_agencies.active().values_list("pk", flat=True))

    def _prefetched(self, relation: str) -> list | None:
        """The rows of ``relation`` if a prefetch loaded them, else None."""
        cached = getattr(self, "_prefetched_objects_cache", {}).get(relation)
        return None if cached is None else list(cached)


class ProcedureVersion(models.Model):
    """Everything about a procedure that a legal text can change, from a date on."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions")
    effective_from = models.DateField(_("hiệu lực từ"))
    effective_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    applicant_types = models.JSONField(_("đối tượng thực hiện"), default=list)
    service_level = models.CharField(_("mức độ dịch vụ công trực tuyến"), max_length=10,
                                     choices=ServiceLevel.choices, default=ServiceLevel.PARTIAL)
    steps_description = models.TextField(_("trình tự thực hiện"), blank=True)
    method = models.TextField(_("cách thức thực hiện"), blank=True)
    time_limit_amount = models.DecimalField(_("thời hạn giải quyết"), max_digits=6,
                                            decimal_places=2, default=0)
    time_limit_unit = models.CharField(_("đơn vị thời hạn"), max_length=20,
                                       choices=TimeLimitUnit.choices,
                                       default=TimeLimitUnit.WORKING_DAYS)
    time_limit_text = models.CharField(_("thời hạn (văn bản)"), max_length=500, blank=True)
    cutoff_time = models.TimeField(
        _("giờ chốt nhận trong ngày"), null=True, blank=True,
        help_text=_("Hồ sơ nhận sau giờ này được tính từ ngày làm việc tiếp theo."),
    )
    fee_counter = models.PositiveBigIntegerField(_("phí, lệ phí nộp trực tiếp (VNĐ)"), default=0)
    fee_online = models.PositiveBigIntegerField(_("phí, lệ phí nộp trực tuyến (VNĐ)"), default=0)
    fee_note = models.TextField(_("ghi chú phí, lệ phí"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"))
    result_type = models.CharField(_("kết quả thực hiện"), max_length=500)
    requirements = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["procedure", "-effective_from"]
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "effective_from"],
                                    name="one_version_per_effective_date"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.national_code} từ {self.effective_from:%d/%m/%Y}"

    def fee_for(self, channel: int) -> int:
        from digigov.dossiers.models import Channel

        return self.fee_online if channel == Channel.ONLINE else self.fee_counter

    @property
    def is_online(self) -> bool:
        return self.service_level in (ServiceLevel.FULL, ServiceLevel.PARTIAL)

    @property
    def total_allotted_hours(self):
        return sum(step.allotted_hours for step in self.steps.all())


class ComponentSpec(models.Model):
    """A paper the applicant must (or may) supply."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE,
                                related_name="components")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    name = models.CharField(_("tên thành phần hồ sơ"), max_length=500)
    required = models.BooleanField(_("bắt buộc"), default=True)
    copies = models.CharField(_("số lượng"), max_length=100, blank=True,
                              default="01 bản chính hoặc bản sao")
    template = models.FileField(_("mẫu đơn, tờ khai"), upload_to="templates/", blank=True)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self) -> str:
        return self.name


class FormField(models.Model):
    """A field of the procedure's e-form (declaration data typed by the applicant)."""

    class Type(models.TextChoices):
        TEXT = "text", _("Văn bản")
        TEXTAREA = "textarea", _("Đoạn văn")
        DATE = "date", _("Ngày")
        NUMBER = "number", _("Số")
        CHOICE = "choice", _("Lựa chọn")

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE,
                                related_name="form_fields")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    key = models.SlugField(_("khóa"), max_length=50)
    label = models.CharField(_("nhãn"), max_length=200)
    type = models.CharField(_("kiểu"), max_length=10, choices=Type.choices, default=Type.TEXT)
    required = models.BooleanField(_("bắt buộc"), default=True)
    choices = models.JSONField(_("các lựa chọn"), default=list, blank=True)
    help_text = models.CharField(_("hướng dẫn"), max_length=300, blank=True)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("trường biểu mẫu")
        verbose_name_plural = _("trường biểu mẫu")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="unique_form_field_key")
        ]

    def __str__(self) -> str:
        return self.label


class ProcessStep(models.Model):
    """One step of the internal process (quy trình nội bộ)."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE,
                                related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    name = models.CharField(_("tên bước"), max_length=300)
    role = models.CharField(_("vai trò thực hiện"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        "orgs.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("đơn vị thực hiện"),
        help_text=_("Để trống: đơn vị tiếp nhận hồ sơ."),
    )
    allotted_hours = models.DecimalField(_("thời gian (giờ làm việc)"), max_digits=6,
                                         decimal_places=2)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("quy trình nội bộ")
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="unique_step_order")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class CatalogRevision(models.Model):
    """One row whose token database triggers replace on every catalog change (revision.py)."""

    token = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.token
