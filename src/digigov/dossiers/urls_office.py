from django.urls import path, re_path

from digigov.pdfs import views as pdf_views

from . import views_office as views

app_name = "office"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("d/<uuid:dossier_uuid>/", views.dossier_detail, name="detail"),
    path("d/<uuid:dossier_uuid>/act/<slug:action>/", views.dossier_action, name="action"),
    path("d/<uuid:dossier_uuid>/files/<uuid:file_uuid>/", views.file_download, name="file"),
    re_path(r"^d/(?P<dossier_uuid>[0-9a-f-]{36})/forms/(?P<number>0[1-6])/$",
            views.printable_form, name="print"),
    re_path(r"^d/(?P<dossier_uuid>[0-9a-f-]{36})/forms/(?P<number>0[1-6])\.pdf$",
            pdf_views.office_form, name="print_pdf"),
    path("counter/", views.counter_start, name="counter"),
    path("counter/<uuid:agency_uuid>/<uuid:procedure_uuid>/", views.counter_new,
         name="counter_new"),
    path("register/", views.register, name="register"),
    path("register.pdf", pdf_views.office_register, name="register_pdf"),
]
