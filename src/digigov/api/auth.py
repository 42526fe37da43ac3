"""Who is calling: a bearer API token, or the web UI's Django session (with CSRF)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from digigov.accounts.models import ApiToken

# A busy client must not turn every read into a write: last_used_at is coarse.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class InvalidToken(Exception):
    """A bearer token was sent but is unknown, revoked, or its account is disabled."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class CsrfFailed(Exception):
    """A session-authenticated unsafe request without a valid CSRF token."""


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer dg_...``: an API token issued by ``digigov apitoken``."""

    def authenticate(self, request: HttpRequest, token: str):
        token = token.strip()
        if not token:
            raise InvalidToken(_("Khóa API rỗng."))
        api_token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token))
            .first()
        )
        if api_token is None:
            raise InvalidToken(_("Khóa API không hợp lệ."))
        if api_token.revoked_at is not None:
            raise InvalidToken(_("Khóa API đã bị thu hồi."))
        if not api_token.user.is_active:
            raise InvalidToken(_("Tài khoản của khóa API đã bị khóa."))
        self._touch(api_token)
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user

    @staticmethod
    def _touch(api_token: ApiToken) -> None:
        now = timezone.now()
        if api_token.last_used_at and now - api_token.last_used_at < LAST_USED_RESOLUTION:
            return
        # A conditional UPDATE: concurrent requests write the row once per minute at most.
        ApiToken.objects.filter(pk=api_token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)


class SessionCsrfAuth(APIKeyCookie):
    """The signed-in user of the web UI; unsafe methods need the CSRF token.

    A request carrying an ``Authorization`` header is judged on that header
    alone, so a bad token is never rescued by a browser session.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key):
        if not key or request.headers.get("Authorization"):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise CsrfFailed()
        return user


bearer_auth = BearerTokenAuth()
session_auth = SessionCsrfAuth()
AUTH = [bearer_auth, session_auth]
