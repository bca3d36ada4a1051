from django.urls import path

from nengji.accounts import views

urlpatterns = [
    path("access/", views.access, name="access"),
    path("access/unlock/", views.unlock, name="access-unlock"),
]
