from django.urls import include, path

from . import views

# Log in, log out, password change and reset come from django.contrib.auth;
# their templates are in templates/registration/.
urlpatterns = [
    path("signup/", views.SignupView.as_view(), name="signup"),
    path("", include("django.contrib.auth.urls")),
]
