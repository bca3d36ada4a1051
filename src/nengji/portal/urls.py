from django.urls import path

from nengji.portal import benchmark, views

urlpatterns = [
    path("open/", views.portal_home, name="portal"),
    path("open/benchmark/", benchmark.portal_benchmark, name="portal-benchmark"),
    path(
        "open/benchmark/data.<str:fmt>",
        benchmark.portal_benchmark_download,
        name="portal-benchmark-data",
    ),
    path("open/indicators/<str:code>/", views.portal_indicator, name="portal-indicator"),
    path("open/tasks/<str:code>/", views.portal_task, name="portal-task"),
    path(
        "open/comments/plan/", views.portal_comments, {"kind": "plan"}, name="portal-comments-plan"
    ),
    path("open/comments/<str:kind>/<str:code>/", views.portal_comments, name="portal-comments"),
    path("open/moderation/", views.portal_moderation, name="portal-moderation"),
    path("open/moderation/<int:pk>/", views.portal_moderate, name="portal-moderate"),
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/charts/<slug:key>.<str:fmt>", views.open_data_chart, name="open-data-chart"),
    path("open-data/<slug:key>.<str:fmt>", views.open_data_table, name="open-data-table"),
]
