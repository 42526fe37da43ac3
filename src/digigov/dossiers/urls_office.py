from django.urls import path
from django.views.generic import TemplateView

app_name = "office"

urlpatterns = [
    path("", TemplateView.as_view(template_name="core/base.html"), name="queue"),
]
