from django.urls import path

from nengji.policy import views

urlpatterns = [
    path("", views.catalogue, name="policy-catalogue"),
    path("mine/", views.my_matches, name="policy-matches"),
    path("office/", views.office, name="policy-office"),
    path("pool/", views.pool, name="policy-pool"),
    path("item/<str:code>/", views.item_detail, name="policy-item"),
    path("item/<str:code>/candidates.xlsx", views.item_candidates_xlsx, name="policy-candidates"),
]
