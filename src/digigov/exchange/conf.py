"""Exchange settings: read from Django settings first, then the environment.

EXCHANGE_DELIVERY            "immediate" (default): packages for agencies of this instance
                             are delivered in-process right after the sending transaction
                             commits; "queue": only ``digigov exchange_send`` delivers them.
                             Packages for peers are always sent by ``exchange_send``.
EXCHANGE_RETRY_BASE_SECONDS  first retry delay after a failed delivery (default 5); it doubles
                             with every further failure...
EXCHANGE_RETRY_MAX_SECONDS   ...up to this ceiling (default 900)
EXCHANGE_HTTP_TIMEOUT        seconds to wait for a peer's answer (default 15)
EXCHANGE_LEASE_SECONDS       how long a worker holds a destination while delivering (default 120)
EXCHANGE_BATCH               packages sent to one destination per pass (default 200)
EXCHANGE_REQUEST_PACKAGES    packages posted to a peer in one request (default 50; 1 sends
                             each package on its own, as to peers without the batch endpoint)
EXCHANGE_REQUEST_BYTES       ...and at most this many bytes of packages (default 8 MiB)
EXCHANGE_CA_BUNDLE           CA bundle to check peers' HTTPS certificates (default: system)
EXCHANGE_REFUSALS_KEEP_DAYS  days the refusals log keeps a refused package (default 90; 0
                             keeps them all); older lines go with ``digigov exchange_prune``
                             and hourly in ``digigov exchange_send --loop``
"""

from __future__ import annotations

import os

from django.conf import settings


def get(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value).strip()


def _float(name: str, default: float) -> float:
    try:
        return float(get(name, str(default)) or default)
    except ValueError:
        return default


def delivery() -> str:
    return "queue" if get("EXCHANGE_DELIVERY", "immediate") == "queue" else "immediate"


def retry_base() -> float:
    return max(0.01, _float("EXCHANGE_RETRY_BASE_SECONDS", 5))


def retry_max() -> float:
    return max(retry_base(), _float("EXCHANGE_RETRY_MAX_SECONDS", 900))


def http_timeout() -> float:
    return _float("EXCHANGE_HTTP_TIMEOUT", 15)


def lease_seconds() -> float:
    return _float("EXCHANGE_LEASE_SECONDS", 120)


def batch() -> int:
    return int(_float("EXCHANGE_BATCH", 200))


def request_packages() -> int:
    return max(1, int(_float("EXCHANGE_REQUEST_PACKAGES", 50)))


def request_bytes() -> int:
    return max(1, int(_float("EXCHANGE_REQUEST_BYTES", 8 * 1024 * 1024)))


def ca_bundle() -> str | bool:
    return get("EXCHANGE_CA_BUNDLE") or True


def refusals_keep_days() -> int:
    return max(0, int(_float("EXCHANGE_REFUSALS_KEEP_DAYS", 90)))
