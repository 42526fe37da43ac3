from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "digigov.api"
    label = "api"
