from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "digigov.core"
    label = "core"
