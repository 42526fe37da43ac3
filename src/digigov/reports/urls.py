from django.urls import path, re_path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.scoreboard, name="scoreboard"),
    path("don-vi/<str:code>/", views.unit, name="unit"),
    path("don-vi/<str:code>/xep-hang/", views.unit_ranking, name="unit_ranking"),
    path("bang-dieu-khien/", views.dashboard, name="dashboard"),
    path("bang-dieu-khien/chi-tiet/", views.drilldown, name="drilldown"),
    path("bang-dieu-khien/qua-han/", views.late, name="late"),
    path("bang-dieu-khien/xep-hang/", views.dashboard_ranking, name="dashboard_ranking"),
    re_path(r"^xuat\.(?P<fmt>xlsx|csv|json|pdf)$", views.export, name="export"),
]
