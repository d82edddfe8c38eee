from django.contrib.auth import views as auth_views
from django.urls import include, path

from ..core.throttling import limit_posts, posted_email
from . import views
from .forms import LoginForm, PasswordResetForm, SetPasswordForm

# Log in, log out, password change and reset come from django.contrib.auth,
# with this app's forms where it needs its own; their templates are in
# templates/registration/. Password reset requests are limited per client
# address and per email address.
reset_view = limit_posts("reset_email", key=posted_email)(
    limit_posts("reset")(auth_views.PasswordResetView.as_view(form_class=PasswordResetForm))
)

urlpatterns = [
    path("signup/", views.SignupView.as_view(), name="signup"),
    path("signup/done/", views.SignupDoneView.as_view(), name="signup_done"),
    path("verify/<uidb64>/<token>/", views.VerifyEmailView.as_view(), name="verify_email"),
    path("login/", auth_views.LoginView.as_view(form_class=LoginForm), name="login"),
    path("password_reset/", reset_view, name="password_reset"),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=SetPasswordForm),
        name="password_reset_confirm",
    ),
    path("account/", views.AccountView.as_view(), name="account"),
    path("", include("django.contrib.auth.urls")),
]
