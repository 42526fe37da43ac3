from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "digigov.payments"
    label = "payments"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deploy check
