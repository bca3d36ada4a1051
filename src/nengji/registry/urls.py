from django.urls import path

from nengji.registry import views

urlpatterns = [
    path("", views.registry_home, name="registry-home"),
    path("e/<str:uscc>/", views.enterprise_view, name="registry-enterprise"),
    path("import/", views.import_view, name="registry-import"),
    path("ladder/", views.ladder_view, name="registry-ladder"),
    path("carriers/", views.carriers_view, name="registry-carriers"),
    path("carriers/<str:code>/", views.carrier_view, name="registry-carrier"),
    path("carriers/<str:code>/edit/", views.carrier_edit, name="registry-carrier-edit"),
    path("map/", views.map_view, name="registry-map"),
    path("open/", views.public_view, name="registry-public"),
]
