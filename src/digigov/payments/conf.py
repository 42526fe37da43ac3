"""Payment settings, read from Django settings first, then the environment.

``PAYMENT_GATEWAY``: dotted path of the gateway class (default: the local sandbox).
``PAYMENT_EXPIRY_MINUTES``: how long a started online payment may stay pending.
``PAYMENT_SANDBOX_SECRET``: the sandbox's HMAC key; generated once into var/ when unset.
"""

from __future__ import annotations

import os
import secrets

from django.conf import settings

DEFAULT_GATEWAY = "digigov.payments.gateways.sandbox.SandboxGateway"
DEFAULT_EXPIRY_MINUTES = 15


def _setting(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value in (None, ""):
        value = os.environ.get(name, default)
    return str(value)


def gateway_path() -> str:
    return _setting("PAYMENT_GATEWAY", DEFAULT_GATEWAY)


def expiry_minutes() -> int:
    raw = _setting("PAYMENT_EXPIRY_MINUTES", str(DEFAULT_EXPIRY_MINUTES))
    try:
        minutes = int(raw)
    except ValueError as exc:
        raise ValueError("PAYMENT_EXPIRY_MINUTES must be a whole number of minutes.") from exc
    if minutes <= 0:
        raise ValueError("PAYMENT_EXPIRY_MINUTES must be positive.")
    return minutes


def sandbox_secret() -> bytes:
    """The sandbox key: the setting or environment, else a key kept in var/ (like SECRET_KEY)."""
    if value := _setting("PAYMENT_SANDBOX_SECRET"):
        return value.encode()
    key_file = settings.VAR_DIR / "payment_sandbox_secret"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip().encode()
