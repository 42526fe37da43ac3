"""Bearer API tokens: the one place that decides whether a key is good."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken

# A busy client must not turn every read into a write: last_used_at is coarse.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class TokenRefused(Exception):
    """The key is empty, unknown, revoked, or its account is disabled."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


def token_for_key(key: str) -> ApiToken:
    """The live token for a clear key (its user loaded), or ``TokenRefused``."""
    key = (key or "").strip()
    if not key:
        raise TokenRefused(_("Khóa API rỗng."))
    try:  # every request: a revoked key or a disabled account is refused at once
        token = ApiToken.objects.select_related("user").get(key_hash=ApiToken.hash_key(key))
    except ApiToken.DoesNotExist:
        raise TokenRefused(_("Khóa API không hợp lệ.")) from None
    if token.revoked_at is not None:
        raise TokenRefused(_("Khóa API đã bị thu hồi."))
    if not token.user.is_active:
        raise TokenRefused(_("Tài khoản của khóa API đã bị khóa."))
    _touch(token)
    return token


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    # A conditional UPDATE: concurrent requests write the row once per minute at most.
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)
