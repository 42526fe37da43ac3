from django.conf import settings
from django.urls import path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.healthz, name="readyz"),
]

if settings.BENCH_ENDPOINTS:
    from .bench_views import write_one_row

    urlpatterns.append(path("bench/write-one-row", write_one_row, name="bench-write-one-row"))
