from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "digigov.reports"
    label = "reports"
    verbose_name = _("Chỉ số phục vụ và báo cáo")

    def ready(self) -> None:
        from . import signals

        signals.connect()
