from django.urls import path

from nengji.vouchers import views

urlpatterns = [
    path("", views.vouchers_home, name="vouchers-home"),
    path("orders/new", views.order_new, name="vouchers-order-new"),
    path("<str:kind>/<int:pk>/<str:action>", views.vouchers_act, name="vouchers-act"),
    path("statements/<int:pk>.xlsx", views.statement_download, name="vouchers-statement"),
]
