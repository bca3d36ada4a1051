from django.urls import path

from nengji.techrights import pages, views

app_name = "techrights"
urlpatterns = [
    path("verify/", views.verify_form, name="verify-form"),
    path("verify/<str:cert_id>", views.verify, name="verify"),
    path("verify/<str:cert_id>/pdf", views.certificate_pdf_download, name="certificate-pdf"),
    path("verify/<str:cert_id>/json", views.certificate_json_download, name="certificate-json"),
    path("techrights/", pages.home, name="home"),
    path("techrights/achievements/new/", pages.achievement_new, name="achievement-new"),
    path("techrights/achievements/<int:pk>/", pages.achievement_detail, name="achievement"),
    path("techrights/contracts/new/", pages.contract_new, name="contract-new"),
    path("techrights/contracts/<int:pk>/", pages.contract_detail, name="contract"),
    path(
        "techrights/certificates/<str:cert_id>/revoke",
        pages.certificate_revoke,
        name="certificate-revoke",
    ),
]
