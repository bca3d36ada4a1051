from django.urls import path

from nengji.techrights import views

app_name = "techrights"
urlpatterns = [
    path("verify/", views.verify_form, name="verify-form"),
    path("verify/<str:cert_id>", views.verify, name="verify"),
    path("verify/<str:cert_id>/pdf", views.certificate_pdf_download, name="certificate-pdf"),
    path("verify/<str:cert_id>/json", views.certificate_json_download, name="certificate-json"),
]
