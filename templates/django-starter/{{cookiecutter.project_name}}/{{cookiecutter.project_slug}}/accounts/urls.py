from django.contrib.auth import views as auth_views
from django.urls import include, path

from ..core.throttling import limit_posts, posted_email
from . import views

# Log in, log out, password change and reset come from django.contrib.auth;
# their templates are in templates/registration/. Password reset requests
# are limited per client address and per email address.
reset_view = limit_posts("reset_email", key=posted_email)(
    limit_posts("reset")(auth_views.PasswordResetView.as_view())
)

urlpatterns = [
    path("signup/", views.SignupView.as_view(), name="signup"),
    path("password_reset/", reset_view, name="password_reset"),
    path("", include("django.contrib.auth.urls")),
]
