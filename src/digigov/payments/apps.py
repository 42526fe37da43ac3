from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "digigov.payments"
    label = "payments"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the fee assessment of new dossiers
