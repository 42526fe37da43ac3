from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.home, name="home"),
    path("tim-kiem/", views.search, name="search"),
    path("qua-han/", views.overdue, name="overdue"),
    path("di/", views.outgoing_list, name="outgoing_list"),
    path("di/moi/", views.outgoing_new, name="outgoing_new"),
    path("di/<uuid:uuid>/", views.outgoing_detail, name="outgoing_detail"),
    path("di/<uuid:uuid>/sua/", views.outgoing_edit, name="outgoing_edit"),
    path("di/<uuid:uuid>/pdf/", views.outgoing_pdf, name="outgoing_pdf"),
    path("di/<uuid:uuid>/tep/<int:pk>/", views.outgoing_attachment, name="outgoing_attachment"),
    path("di/<uuid:uuid>/<slug:action>/", views.outgoing_action, name="outgoing_action"),
    path("den/", views.incoming_list, name="incoming_list"),
    path("den/moi/", views.incoming_new, name="incoming_new"),
    path("den/<uuid:uuid>/", views.incoming_detail, name="incoming_detail"),
    path("den/<uuid:uuid>/tep/<int:pk>/", views.incoming_attachment, name="incoming_attachment"),
    path("den/<uuid:uuid>/<slug:action>/", views.incoming_action, name="incoming_action"),
    path("so/<slug:direction>/", views.register, name="register"),
    path("cai-dat/", views.settings_page, name="settings"),
    path("cai-dat/<str:code>/ky-hieu/", views.settings_profile, name="settings_profile"),
    path("cai-dat/<str:code>/mat/", views.settings_clearance, name="settings_clearance"),
]
