from django.conf import settings
from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("edxml/", views.receive, name="receive"),
    path("edxml/batch/", views.receive_batch, name="receive_batch"),
    path("", views.outbox, name="outbox"),
    path("gui/<uuid:package_uuid>/gui-lai/", views.outbox_retry, name="retry"),
    path("gui/<uuid:package_uuid>.xml", views.package_xml, name="package_xml"),
    path("nhan/", views.inbox, name="inbox"),
    path("tu-choi/", views.refused, name="refused"),
    path("he-thong/", views.peers, name="peers"),
    path("he-thong/<uuid:peer_uuid>/go/", views.peer_remove, name="peer_remove"),
]

if settings.BENCH_ENDPOINTS:
    urlpatterns.append(path("bench-echo/", views.bench_echo, name="bench_echo"))
