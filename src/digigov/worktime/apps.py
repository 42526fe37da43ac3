from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    name = "digigov.worktime"
    label = "worktime"
    verbose_name = _("Thời gian làm việc")
