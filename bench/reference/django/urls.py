from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Stand-ins, so that the page reverses as many URLs as the generated one.
    path("contact/", views.home, name="contact"),
    path("accounts/login/", views.home, name="login"),
    path("accounts/signup/", views.home, name="signup"),
]
