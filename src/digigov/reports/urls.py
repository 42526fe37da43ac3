from django.urls import path, re_path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.scoreboard, name="scoreboard"),
    path("don-vi/<str:code>/", views.unit, name="unit"),
    path("bang-dieu-khien/", views.dashboard, name="dashboard"),
    path("bang-dieu-khien/chi-tiet/", views.drilldown, name="drilldown"),
    path("bang-dieu-khien/qua-han/", views.late, name="late"),
    re_path(r"^xuat\.(?P<fmt>xlsx|csv|json|pdf)$", views.export, name="export"),
]
