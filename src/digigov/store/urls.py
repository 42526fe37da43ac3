from django.urls import path

from . import views

app_name = "store"

urlpatterns = [
    path("", views.paper_list, name="list"),
    path("tai-len/", views.upload, name="upload"),
    path("nhat-ky-su-dung/", views.uses, name="uses"),
    path("giay-to/<uuid:uuid>/", views.paper_detail, name="detail"),
    path("giay-to/<uuid:uuid>/tai-ve/", views.download, name="download"),
    path("giay-to/<uuid:uuid>/chia-se/", views.share, name="share"),
    path("chia-se/<str:token>/", views.shared, name="shared"),
    path("chia-se/<str:token>/tai-ve/", views.shared_download, name="shared_download"),
]
