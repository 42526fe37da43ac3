"""Signing settings: read from Django settings first, then the environment.

SIGNING_KEY_ENCRYPTION_KEY           secret that encrypts stored private keys (default: SECRET_KEY)
SIGNING_KEY_ENCRYPTION_KEY_PREVIOUS  comma-separated former secrets, still accepted for reading
SIGNING_TSA_URL                      RFC 3161 time-stamp authority; set: PAdES B-T, unset: B-B
SIGNING_TSA_TIMEOUT                  seconds to wait for the TSA (default 10)
SIGNING_STAMP_FONT                   TrueType/OpenType font for the visible marks
SIGNING_PKCS11_MODULE                path of a PKCS#11 library (HSM or USB token)
SIGNING_PKCS11_TOKEN_LABEL           label of the token holding the keys
SIGNING_PKCS11_PIN                   the token's user PIN (unset: the token's own PIN pad)
SIGNING_FETCH_REVOCATION             1: fetch CRLs and OCSP answers named in certificates of
                                     other CAs when verifying (needs their network); default 0
"""

from __future__ import annotations

import os

from django.conf import settings


def get(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value).strip()


def encryption_secrets() -> list[str]:
    """The current key-encryption secret first, then the former ones (for rotation)."""
    current = get("SIGNING_KEY_ENCRYPTION_KEY") or settings.SECRET_KEY
    previous = [s.strip() for s in get("SIGNING_KEY_ENCRYPTION_KEY_PREVIOUS").split(",")]
    return [current, *[s for s in previous if s and s != current]]


def tsa_url() -> str:
    return get("SIGNING_TSA_URL")


def tsa_timeout() -> float:
    return float(get("SIGNING_TSA_TIMEOUT", "10") or 10)


def fetch_revocation() -> bool:
    return get("SIGNING_FETCH_REVOCATION", "0").lower() in {"1", "true", "yes", "on"}
