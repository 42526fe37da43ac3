from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoreConfig(AppConfig):
    name = "digigov.store"
    label = "store"
    verbose_name = _("Kho dữ liệu điện tử của tổ chức, cá nhân")
