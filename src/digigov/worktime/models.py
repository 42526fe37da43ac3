from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CalendarDay(models.Model):
    """A day that changes the normal Monday-Friday week of the civil service.

    Both kinds of exception are data: days off (holidays, bridge days,
    compensatory days) and Saturdays that become working days in exchange for
    a bridge day.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Ngày lễ, Tết")
        BRIDGE = "bridge", _("Nghỉ hoán đổi")
        COMPENSATORY = "compensatory", _("Nghỉ bù")
        MAKEUP_WORKING_DAY = "makeup_working_day", _("Ngày làm việc bù")

    date = models.DateField(pgettext_lazy("calendar date field", "ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    legal_basis = models.TextField(_("căn cứ"), blank=True)
    verified = models.BooleanField(
        _("đã xác nhận"), default=True,
        help_text=_("Bỏ chọn khi ngày nghỉ mới là ước tính, chưa có thông báo chính thức."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày nghỉ/làm bù")
        verbose_name_plural = _("lịch ngày nghỉ và làm bù")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"

    @property
    def is_day_off(self) -> bool:
        return self.kind != self.Kind.MAKEUP_WORKING_DAY
