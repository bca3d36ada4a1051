from django.urls import path

from nengji.reports import views

urlpatterns = [
    path("", views.report_list, name="reports"),
    path("jobs/<uuid:job_id>/", views.report_job, name="report-job"),
    path("jobs/<uuid:job_id>/status", views.report_job_status, name="report-job-status"),
    path("jobs/<uuid:job_id>/download", views.report_job_download, name="report-job-download"),
]
