"""The emails the accounts send: the link that verifies a new address, and
the note to the owner of an address someone signed up with again.

Both go out after the response (core.outbox), so sign-up takes as long
whether or not the address already has an account.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ..core.outbox import send_later
from .models import User


class VerificationTokenGenerator(PasswordResetTokenGenerator):
    """Django's password reset token, with a salt of its own: signed with
    SECRET_KEY, valid for PASSWORD_RESET_TIMEOUT (3 days by default), and
    void once the address is verified or changed."""

    key_salt = "accounts.emails.VerificationTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        return f"{user.pk}{user.email}{user.email_verified}{timestamp}"


verification_tokens = VerificationTokenGenerator()


def _send(request: HttpRequest, user: User, template: str, context: dict[str, str]) -> None:
    context = {
        "site_name": get_current_site(request).name,
        "email": user.email,
        **context,
    }
    subject = render_to_string(f"registration/{template}_subject.txt", context, request)
    body = render_to_string(f"registration/{template}_email.txt", context, request)
    message = EmailMessage(
        " ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email]
    )
    send_later(message)


def send_verification(request: HttpRequest, user: User) -> None:
    """Email ``user`` the link that verifies their address."""
    path = reverse(
        "verify_email",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": verification_tokens.make_token(user),
        },
    )
    _send(request, user, "verification", {"link": request.build_absolute_uri(path)})


def send_account_exists(request: HttpRequest, user: User) -> None:
    """Tell the owner of an address that someone signed up with it again
    (the page says the same as for a new account, so as not to reveal it)."""
    links = {
        "login_link": request.build_absolute_uri(reverse("login")),
        "reset_link": request.build_absolute_uri(reverse("password_reset")),
    }
    _send(request, user, "account_exists", links)
