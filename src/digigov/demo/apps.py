from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "digigov.demo"
    label = "demo"
