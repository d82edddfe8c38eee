from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from ..core.outbox import send_later
from . import emails
from .models import User


class UniqueEmailMixin:
    """Refuse an email address already in use, whatever its case."""

    cleaned_data: dict[str, Any]

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email address already exists."))
        return email


class SignupForm(auth_forms.BaseUserCreationForm[User]):
    """Sign-up: an address and a password. A taken address is not an error
    here (that would tell anyone which addresses have accounts): the view
    answers as for a new account and emails the owner instead."""

    # The password fields come with autocomplete="new-password".
    class Meta:
        model = User
        fields = ("email",)
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"})}

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"])

    def validate_unique(self) -> None:
        """The view handles a taken address (see the class docstring)."""


class LoginForm(auth_forms.AuthenticationForm):
    """The site's login form. With ALLOW_UNVERIFIED_LOGIN off, an account
    whose address is not verified yet is refused (after its password was
    checked) and sent a new verification link."""

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not user.email_verified and not settings.ALLOW_UNVERIFIED_LOGIN:
            if self.request is not None:
                emails.send_verification(self.request, user)
            raise forms.ValidationError(
                _(
                    "Confirm your email address first: we have sent you a new link. "
                    "Follow it, then log in."
                ),
                code="unverified",
            )


class PasswordCheckForm(forms.Form):
    """The password of ``user``, checked through authenticate(), so that
    wrong guesses count towards django-axes' lockout like failed logins."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request, self.user = request, user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if authenticate(self.request, username=self.user.email, password=password) is None:
            raise forms.ValidationError(_("That is not the password of this account."))
        return password


class VerifyEmailForm(PasswordCheckForm):
    """A verification link asks for the account's password: following the
    link alone is not enough, or whoever signed up with someone else's
    address would get the account once its owner clicked the link."""


class DeleteAccountForm(PasswordCheckForm):
    """Deleting an account asks for its password again."""


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, sending its email after the response (core.outbox): a
    request for an address with an account takes as long as one without."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = " ".join(render_to_string(subject_template_name, context).split())
        body = render_to_string(email_template_name, context)
        send_later(EmailMessage(subject, body, from_email, [to_email]))


# Not subscriptable at run time (django_stubs_ext does not patch it).
class SetPasswordForm(auth_forms.SetPasswordForm):  # type: ignore[type-arg]
    """A new password from a reset link: following the link proved the
    address too."""

    def save(self, commit: bool = True) -> User:
        self.user.email_verified = True
        user: User = super().save(commit)
        return user
