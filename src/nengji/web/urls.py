from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from nengji.api.app import api

urlpatterns = [
    # pages without the base template (403/404/500) still get an icon, not a 404 in the console
    path("favicon.ico", RedirectView.as_view(url=static("nengji/favicon.svg"), permanent=True)),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="web/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("nengji.accounts.urls")),
    path("admin/", admin.site.urls),
    path("captcha/", include("captcha.urls")),  # the challenge images of the comment form
    path("reports/", include("nengji.reports.urls")),
    path("api/", api.urls),
    path("monitoring/", include("nengji.monitoring.urls")),
    path("registry/", include("nengji.registry.urls")),
    path("vouchers/", include("nengji.vouchers.urls")),
    path("policies/", include("nengji.policy.urls")),
    path("", include("nengji.techrights.urls")),
    path("", include("nengji.cockpit.urls")),
    path("", include("nengji.portal.urls")),
    path("", include("nengji.plan.urls")),
]

# error pages in the site's layout (used when DEBUG is off)
handler400 = "nengji.web.errors.bad_request"
handler403 = "nengji.web.errors.permission_denied"
handler404 = "nengji.web.errors.page_not_found"
handler500 = "nengji.web.errors.server_error"
