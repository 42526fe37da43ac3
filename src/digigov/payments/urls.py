from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("ho-so/<uuid:dossier_uuid>/", views.pay, name="pay"),
    path("<uuid:payment_uuid>/ket-qua/", views.payment_return, name="return"),
    path("<uuid:payment_uuid>/bien-lai/", views.receipt, name="receipt"),
    path("<uuid:payment_uuid>/bien-lai.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("quay/<uuid:dossier_uuid>/", views.counter_payment, name="counter"),
    path("sandbox/<str:transaction_id>/", views.sandbox, name="sandbox"),
]
