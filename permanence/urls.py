"""The project's URLs; each app includes its own under a namespace."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from permanence import views, views_auth
from permanence.forms_auth import LoginForm
from permanence.health import HealthView
from permanence.sign_out import SignOutEverywhereView

app_urls = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        login_not_required(
            auth_views.LoginView.as_view(
                authentication_form=LoginForm, redirect_authenticated_user=True
            )
        ),
        name="login",
    ),
    path(
        "accounts/sign-out-everywhere/",
        SignOutEverywhereView.as_view(),
        name="sign-out-everywhere",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Single sign-on with the council's accounts (permanence/sso.py).
    path("accounts/council/", include("permanence.sso")),
    path("accounts/password/", views_auth.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/changed/",
        views_auth.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # The load balancer's probe: no sign-in, no data (permanence/health.py).
    path("health/", HealthView.as_view(), name="health"),
    path("", include("permanence.app_urls")),
    path("reviews/", include("reviews.urls")),
    path("forums/", include("forums.urls")),
    path("tracker/", include("tracker.urls")),
    path("admin/", admin.site.urls),
]

urlpatterns = app_urls

handler400 = "permanence.errors.bad_request"
handler403 = "permanence.errors.permission_denied"
handler404 = "permanence.errors.page_not_found"
handler500 = "permanence.errors.server_error"
