from django.apps import AppConfig


class GovstackConfig(AppConfig):
    name = "digigov.govstack"
    label = "govstack"
