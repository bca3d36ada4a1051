from django.urls import path

from nengji.monitoring import views

urlpatterns = [
    path("", views.monitoring_home, name="monitoring-home"),
    path("published/", views.published, name="monitoring-published"),
    path("rounds/open/", views.round_open_view, name="monitoring-round-open"),
    path("rounds/<int:pk>/", views.round_detail, name="monitoring-round"),
    path("rounds/<int:pk>/publish/", views.round_publish_view, name="monitoring-round-publish"),
    path("rounds/<int:pk>/remind/", views.round_remind_view, name="monitoring-round-remind"),
    path("rounds/<int:pk>/complete/", views.round_complete_view, name="monitoring-round-complete"),
    path("rounds/<int:pk>/template.xlsx", views.template_download, name="monitoring-template"),
    path("rounds/<int:pk>/upload/", views.template_upload, name="monitoring-upload"),
    path("reports/<int:pk>/", views.submission_detail, name="monitoring-submission"),
    path("evidence/<int:pk>/", views.evidence_download, name="monitoring-evidence"),
    path("review/", views.review_queue, name="monitoring-review"),
    path("alerts/", views.alerts_view, name="monitoring-alerts"),
    path("proposals/", views.proposals_view, name="monitoring-proposals"),
    path("audit/", views.audit_view, name="monitoring-audit"),
    path("setup/", views.setup_view, name="monitoring-setup"),
]
