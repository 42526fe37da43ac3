from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.scoreboard, name="scoreboard"),
    path("bang-dieu-khien/", views.dashboard, name="dashboard"),
]
