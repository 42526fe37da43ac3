from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "digigov.payments"
    label = "payments"
