from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("catalog", views.catalog, name="catalog"),
    path("catalog.jsonld", views.catalog_jsonld, name="catalog_jsonld"),
    path("catalog.ttl", views.catalog_ttl, name="catalog_ttl"),
    path("quan-ly/", views.office_list, name="office"),
    path("quan-ly/tao-moi/", views.office_create, name="office_create"),
    path("quan-ly/<slug:name>/", views.office_dataset, name="office_dataset"),
    path("quan-ly/<slug:name>/sua/", views.office_edit, name="office_edit"),
    path("quan-ly/<slug:name>/cong-bo/", views.office_publish, name="office_publish"),
    path("quan-ly/<slug:name>/ngung-cong-bo/", views.office_unpublish, name="office_unpublish"),
    path("quan-ly/<slug:name>/xoa/", views.office_delete, name="office_delete"),
    path("quan-ly/<slug:name>/tai-nguyen/them/", views.office_add_resource,
         name="office_add_resource"),
    path("quan-ly/<slug:name>/tai-nguyen/<uuid:rid>/thay-the/", views.office_replace_resource,
         name="office_replace_resource"),
    path("quan-ly/<slug:name>/tai-nguyen/<uuid:rid>/xoa/", views.office_delete_resource,
         name="office_delete_resource"),
    path("<slug:name>/", views.dataset_detail, name="dataset"),
    path("<slug:name>/tai-nguyen/<uuid:rid>/", views.resource_detail, name="resource"),
    path("<slug:name>/tai-nguyen/<uuid:rid>/<str:filename>", views.download, name="download"),
]
