from django.urls import path

from nengji.plan import views

urlpatterns = [
    path("", views.plan_home, name="home"),
    path("plans/", views.plan_choose, name="plans"),
    path("plan/", views.plan_browser, name="plan-browser"),
    path("plan/document/", views.plan_document, name="plan-document"),
    path("plan/source/", views.source_view, name="plan-source"),
    path("plan/<str:code>/", views.section_detail, name="plan-section"),
    path("indicators/", views.indicators, name="indicators"),
    path("departments/", views.departments, name="departments"),
]
