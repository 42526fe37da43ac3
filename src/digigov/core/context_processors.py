from django.conf import settings
from django.utils.translation import gettext as _


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME or _("Cổng dịch vụ công digigov"),
        # Each language named in itself, untranslated, so that anyone finds their own.
        "LANGUAGE_CHOICES": settings.LANGUAGES,
    }
