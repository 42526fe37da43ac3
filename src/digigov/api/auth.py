"""Who is calling: a bearer API token, or the web UI's Django session (with CSRF)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from digigov.accounts.tokens import TokenRefused, token_for_key


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
        try:
            api_token = token_for_key(token)
        except TokenRefused as refused:
            raise InvalidToken(refused.detail) from None
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


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
