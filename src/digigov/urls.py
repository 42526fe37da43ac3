from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from digigov.api.api import api
from digigov.govstack.api import registration_api

urlpatterns = [
    path("", include("digigov.core.urls")),
    path("", include("digigov.dossiers.urls_portal")),
    path("accounts/", include("digigov.accounts.urls")),
    path("office/", include("digigov.dossiers.urls_office")),
    path("xac-thuc/", include("digigov.signing.urls")),
    path("thanh-toan/", include("digigov.payments.urls")),
    path("kho-du-lieu/", include("digigov.store.urls")),
    path("van-ban/", include("digigov.documents.urls")),
    path("lien-thong/", include("digigov.exchange.urls")),
    path("bao-cao/", include("digigov.reports.urls")),
    path("du-lieu-mo/", include("digigov.opendata.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/", include("digigov.opendata.urls_ckan")),
    path("api/govstack/registration/", registration_api.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
