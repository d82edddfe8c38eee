from django.contrib.auth.views import LoginView
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # The equal-work login page: Django's own view and form, with a CSRF
    # token, in a template shaped like the generated project's.
    path(
        "accounts/login/", LoginView.as_view(template_name="login.html"), name="login"
    ),
    # Stand-ins, so that the pages reverse as many URLs as the generated ones.
    path("contact/", views.home, name="contact"),
    path("accounts/signup/", views.home, name="signup"),
    path("accounts/password/reset/", views.home, name="password_reset"),
]
