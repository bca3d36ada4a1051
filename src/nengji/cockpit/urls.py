from django.urls import path

from nengji.cockpit import benchmark, views

urlpatterns = [
    path("cockpit/", views.cockpit_home, name="cockpit"),
    path("cockpit/index/", views.cockpit_index, name="cockpit-index"),
    path("cockpit/benchmark/", benchmark.cockpit_benchmark, name="cockpit-benchmark"),
    path(
        "cockpit/benchmark/data.<str:fmt>",
        benchmark.cockpit_benchmark_download,
        name="cockpit-benchmark-data",
    ),
    path(
        "cockpit/benchmark/<slug:action>/",
        benchmark.cockpit_benchmark_action,
        name="cockpit-benchmark-action",
    ),
    path("cockpit/indicators/<str:code>/", views.cockpit_indicator, name="cockpit-indicator"),
    path("cockpit/tasks/<str:code>/", views.cockpit_task, name="cockpit-task"),
    path("cockpit/departments/<str:code>/", views.cockpit_department, name="cockpit-department"),
    path(
        "cockpit/data/<slug:key>.<str:fmt>",
        views.cockpit_chart_data,
        name="cockpit-chart-data",
    ),
]
