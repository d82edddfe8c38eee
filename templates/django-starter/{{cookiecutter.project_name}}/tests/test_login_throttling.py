"""Throttling of the account pages: failed logins lock an account and a
client address; sign-ups and password resets answer 429 past their limit."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django import Settings
from test_throttling import allowed

from {{ cookiecutter.project_slug }}.accounts.models import User

pytestmark = pytest.mark.django_db


def log_in(client: Client, email: str, password: str, address: str = "127.0.0.1") -> int:
    data = {"username": email, "password": password}
    return client.post(reverse("login"), data, REMOTE_ADDR=address).status_code


def test_failed_logins_lock_the_account(settings: Settings, user: User, password: str) -> None:
    for number in range(settings.AXES_FAILURE_LIMIT):
        # Each attempt from another address, in another case: still one
        # account. The failure that reaches the limit is answered 429.
        address = f"192.0.2.{number + 1}"
        email = user.email.upper() if number % 2 else user.email
        expected = 429 if number == settings.AXES_FAILURE_LIMIT - 1 else 200
        assert log_in(Client(), email, "wrong", address) == expected
    response = Client().post(
        reverse("login"), {"username": user.email, "password": password}, REMOTE_ADDR="192.0.2.99"
    )
    assert response.status_code == 429
    assert b"Too many requests" in response.content


def test_failed_logins_lock_the_client_address(
    settings: Settings, user: User, password: str
) -> None:
    for number in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(Client(), f"nobody{number}@example.com", "wrong") == 200
    assert log_in(Client(), "nobody@example.com", "wrong") == 429
    assert log_in(Client(), user.email, password) == 429
    # Another address still logs in.
    assert log_in(Client(), user.email, password, "192.0.2.1") == 302


def test_a_successful_login_starts_the_count_afresh(
    settings: Settings, user: User, password: str
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(Client(), user.email, "wrong")
    assert log_in(Client(), user.email, password) == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(Client(), user.email, "wrong")
    assert log_in(Client(), user.email, password) == 302


def test_signup_is_limited_per_client_address(client: Client, password: str) -> None:
    for number in range(allowed("signup")):
        data = {"email": f"u{number}@example.com", "password1": password, "password2": password}
        assert Client().post(reverse("signup"), data).status_code == 302
    data = {"email": "late@example.com", "password1": password, "password2": password}
    assert client.post(reverse("signup"), data).status_code == 429
    assert not User.objects.filter(email="late@example.com").exists()


def test_signup_is_limited_per_email(client: Client, user: User, password: str) -> None:
    """Each sign-up with a taken address emails its owner: a few an hour."""
    data = {"email": user.email, "password1": password, "password2": password}
    for number in range(allowed("signup_email")):
        response = client.post(reverse("signup"), data, REMOTE_ADDR=f"192.0.2.{number + 1}")
        assert response.status_code == 302
    response = client.post(reverse("signup"), data, REMOTE_ADDR="192.0.2.99")
    assert response.status_code == 429
    assert len(mail.outbox) == allowed("signup_email")


def test_password_reset_is_limited_per_email(client: Client, user: User) -> None:
    for number in range(allowed("reset_email")):
        address = f"192.0.2.{number + 1}"
        response = client.post(
            reverse("password_reset"), {"email": user.email}, REMOTE_ADDR=address
        )
        assert response.status_code == 302
    response = client.post(
        reverse("password_reset"), {"email": user.email.upper()}, REMOTE_ADDR="192.0.2.99"
    )
    assert response.status_code == 429
    assert len(mail.outbox) == allowed("reset_email")


def test_password_reset_is_limited_per_client_address(client: Client) -> None:
    for number in range(allowed("reset")):
        data = {"email": f"u{number}@example.com"}
        assert client.post(reverse("password_reset"), data).status_code == 302
    assert client.post(reverse("password_reset"), {"email": "x@example.com"}).status_code == 429
