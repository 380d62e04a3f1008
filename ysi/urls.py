from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from incidents.views.accounts import SignInView

urlpatterns = [
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("incidents.urls_accounts")),
    path("admin/", admin.site.urls),
    path("", include("incidents.urls")),
]

handler400 = "incidents.views.errors.bad_request"
