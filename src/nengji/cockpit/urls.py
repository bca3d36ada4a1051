from django.urls import path

from nengji.cockpit import views

urlpatterns = [
    path("cockpit/", views.cockpit_home, name="cockpit"),
    path("cockpit/index/", views.cockpit_index, name="cockpit-index"),
    path("cockpit/indicators/<str:code>/", views.cockpit_indicator, name="cockpit-indicator"),
    path("cockpit/tasks/<str:code>/", views.cockpit_task, name="cockpit-task"),
    path("cockpit/departments/<str:code>/", views.cockpit_department, name="cockpit-department"),
    path(
        "cockpit/data/<slug:key>.<str:fmt>",
        views.cockpit_chart_data,
        name="cockpit-chart-data",
    ),
]
