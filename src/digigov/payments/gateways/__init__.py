"""Payment gateways: the interface every gateway implements, and the configured one."""

from __future__ import annotations

from django.utils.module_loading import import_string

from digigov.payments import conf

from .base import (
    GatewayNotification,
    GatewaySession,
    GatewayStatus,
    GatewayUnavailable,
    InvalidNotification,
    PaymentGateway,
)

__all__ = ["GatewayNotification", "GatewaySession", "GatewayStatus", "GatewayUnavailable",
           "InvalidNotification", "PaymentGateway", "get_gateway"]


def get_gateway(name: str | None = None) -> PaymentGateway:
    """The configured gateway (``PAYMENT_GATEWAY``); ``name`` must match it when given."""
    gateway_class = import_string(conf.gateway_path())
    gateway = gateway_class()
    if not isinstance(gateway, PaymentGateway):
        raise TypeError(f"{conf.gateway_path()} does not implement PaymentGateway.")
    if name is not None and name != gateway.name:
        raise LookupError(name)
    return gateway
