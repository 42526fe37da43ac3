from django.urls import path, re_path

from digigov.pdfs import views as pdf_views

from . import views_portal as views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.search, name="search"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure"),
    path("thu-tuc/<str:code>/mau/<int:component_id>/", views.component_template,
         name="component_template"),
    path("thu-tuc/<str:code>/nop-ho-so/", views.submit, name="submit"),
    path("ho-so-cua-toi/", views.my_dossiers, name="my_dossiers"),
    path("ho-so/<uuid:uuid>/", views.dossier_detail, name="dossier"),
    path("ho-so/<uuid:uuid>/bo-sung/", views.supply_supplement, name="supply_supplement"),
    path("ho-so/<uuid:uuid>/rut/", views.withdraw, name="withdraw"),
    path("ho-so/<uuid:uuid>/danh-gia/", views.rate, name="rate"),
    path("ho-so/<uuid:uuid>/tep/<uuid:file_uuid>/", views.dossier_file, name="dossier_file"),
    re_path(r"^ho-so/(?P<uuid>[0-9a-f-]{36})/mau-(?P<number>0[1-5])\.pdf$", pdf_views.portal_form,
            name="form_pdf"),
    path("tra-cuu/", views.lookup, name="lookup"),
]
