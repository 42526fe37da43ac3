from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguageMiddleware:
    """Vietnamese unless the person chose otherwise.

    The choice is the language cookie (set by the switcher, at registration
    and in the profile), else the signed-in user's saved language. A
    browser's Accept-Language is deliberately not used for pages: a public
    service in Vietnam speaks Vietnamese first, and only switches when asked.
    API clients are programs that ask explicitly, so under /api/ the
    Accept-Language header is the request.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def _chosen(self, request) -> str:
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if cookie in self.supported:
            return cookie
        if request.path.startswith("/api/") and request.headers.get("Accept-Language"):
            return translation.get_language_from_request(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in self.supported:
            return user.language
        return settings.LANGUAGE_CODE

    def __call__(self, request):
        language = self._chosen(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
