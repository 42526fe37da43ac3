"""``digigov check --deploy``: a production instance must not take payments in the sandbox."""

from django.core.checks import Warning, register

from . import conf


@register("payments", deploy=True)
def sandbox_gateway_in_production(app_configs, **kwargs):
    if conf.gateway_path() != conf.DEFAULT_GATEWAY:
        return []
    return [Warning(
        "Payments go through the sandbox gateway, which moves no money.",
        hint="Set PAYMENT_GATEWAY to the dotted path of a real gateway (docs/payments.md).",
        id="payments.W001",
    )]
