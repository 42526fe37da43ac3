from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "digigov.orgs"
    label = "orgs"
    verbose_name = _("Cơ quan và đơn vị hành chính")
