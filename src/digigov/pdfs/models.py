"""Document templates that agency administrators edit (see docs/documents.md)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    FORM = "form", _("Biểu mẫu một cửa")
    RESULT = "result", _("Kết quả giải quyết")


class DocumentTemplateQuerySet(models.QuerySet):
    def in_force(self, on):
        return self.filter(Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class DocumentTemplate(models.Model):
    """One version of a document template, for the whole instance or one agency.

    The template for (code, agency, date) is the agency's own version in force
    on that date, else the instance default (``agency`` empty) in force, else
    the file shipped in ``templates_default/``. Each text part is written in
    the sandboxed template language (``sandbox.py``); ``body`` produces the
    HTML subset of the PDF renderer.
    """

    code = models.SlugField(_("mã mẫu"), max_length=50,
                            help_text=_("Ví dụ: form_01, result_birth_extract."))
    name = models.CharField(_("tên mẫu"), max_length=200)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    agency = models.ForeignKey("orgs.Agency", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("cơ quan"),
                               help_text=_("Để trống: mẫu mặc định dùng cho mọi cơ quan."))
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    landscape = models.BooleanField(_("khổ ngang"), default=False)
    title = models.TextField(
        _("tên loại và trích yếu"),
        help_text=_("Dòng đầu là tên loại văn bản; các dòng sau là trích yếu."))
    number_notation = models.CharField(_("số, ký hiệu"), max_length=200, blank=True,
                                       help_text=_("Ví dụ: Số: {{ number }}/TLKS. Để trống nếu "
                                                   "văn bản không có số."))
    body = models.TextField(_("nội dung"))
    signer_authority = models.CharField(_("quyền hạn ký"), max_length=200, blank=True,
                                        help_text=_("TM., KT., Q., TL., TUQ. và tên cơ quan."))
    signer_title = models.CharField(_("chức vụ người ký"), max_length=200, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=200, blank=True)
    co_signer_title = models.CharField(_("người ký bên trái: chức danh"), max_length=200,
                                       blank=True)
    co_signer_name = models.CharField(_("người ký bên trái: họ tên"), max_length=200, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    procedure_keywords = models.CharField(
        _("từ khóa tên thủ tục"), max_length=300, blank=True,
        help_text=_("Với mẫu kết quả: dùng cho thủ tục có tên chứa một trong các cụm từ này "
                    "(phân cách bằng dấu ;) khi thủ tục chưa được gán mẫu."))
    updated_at = models.DateTimeField(auto_now=True)

    objects = DocumentTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["code", "agency__code", "-valid_from"]
        verbose_name = _("mẫu văn bản")
        verbose_name_plural = _("mẫu văn bản")
        constraints = [
            models.UniqueConstraint(fields=["code", "agency", "valid_from"],
                                    name="one_template_version_per_day"),
            models.UniqueConstraint(fields=["code", "valid_from"], condition=Q(agency=None),
                                    name="one_default_template_version_per_day"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True)
                                   | Q(valid_to__gte=models.F("valid_from")),
                                   name="template_valid_range"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name} ({self.valid_from:%d/%m/%Y})"

    def parts(self) -> dict[str, str]:
        from .sandbox import PARTS

        return {name: getattr(self, name) for name in PARTS}


class ResultTemplateChoice(models.Model):
    """Which result template a procedure's result is issued on."""

    procedure = models.OneToOneField("catalog.Procedure", on_delete=models.CASCADE,
                                     related_name="+", verbose_name=_("thủ tục"))
    template_code = models.SlugField(_("mã mẫu kết quả"), max_length=50)

    class Meta:
        verbose_name = _("mẫu kết quả của thủ tục")
        verbose_name_plural = _("mẫu kết quả của thủ tục")

    def __str__(self) -> str:
        return f"{self.procedure_id} → {self.template_code}"

    def clean(self):
        from .defaults import shipped

        known = {code for code, data in shipped().items() if data["kind"] == Kind.RESULT}
        known |= set(DocumentTemplate.objects.filter(kind=Kind.RESULT)
                     .values_list("code", flat=True))
        if self.template_code not in known:
            raise ValidationError({"template_code": _(
                "Không có mẫu kết quả mã “%(code)s”. Các mã hiện có: %(known)s."
            ) % {"code": self.template_code, "known": ", ".join(sorted(known))}})
