"""The CKAN-compatible Action API, mounted at /api/: /api/3/action/<name> and /api/action/<name>
(the address ckanapi and older clients use)."""

from django.urls import path

from . import ckan

urlpatterns = [
    path("3", ckan.api_root, name="ckan_root"),
    path("3/", ckan.api_root),
    path("3/action/<str:name>", ckan.action_view, name="ckan_action"),
    path("action/<str:name>", ckan.action_view, name="ckan_action_unversioned"),
]
