from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "digigov.signing"
    label = "signing"
