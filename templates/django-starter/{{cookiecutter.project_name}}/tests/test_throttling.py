"""Throttling: the forms that cost something answer 429 past their limit."""

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django import Settings

{% if cookiecutter.auth or cookiecutter.admin -%}
from {{ cookiecutter.project_slug }}.accounts.models import User
{% endif -%}
from {{ cookiecutter.project_slug }}.core.throttling import RATES, client_ip

pytestmark = pytest.mark.django_db

CONTACT = {"name": "Ada", "email": "ada@example.com", "message": "Hello there."}


def allowed(group: str) -> int:
    """How many posts ``RATES[group]`` allows ("5/h" -> 5)."""
    return int(RATES[group].split("/")[0])


def test_contact_form_is_limited_per_client_address(client: Client) -> None:
    for _ in range(allowed("contact")):
        assert client.post(reverse("contact"), CONTACT).status_code == 302
    response = client.post(reverse("contact"), CONTACT)
    assert response.status_code == 429
    assert b"Too many requests" in response.content
    assert len(mail.outbox) == allowed("contact")
    # Another client address is not affected.
    other = client.post(reverse("contact"), CONTACT, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


def test_reading_the_contact_page_is_not_limited(client: Client) -> None:
    for _ in range(allowed("contact") + 2):
        assert client.get(reverse("contact")).status_code == 200


def test_client_address_without_a_proxy_ignores_forwarded_headers(client: Client) -> None:
    for _ in range(allowed("contact")):
        client.post(reverse("contact"), CONTACT)
    forged = client.post(reverse("contact"), CONTACT, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert forged.status_code == 429


def test_client_address_behind_one_proxy(settings: Settings, rf: RequestFactory) -> None:
    settings.FORWARDED_PROXIES = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.1")
    assert client_ip(request) == "198.51.100.1"
{%- if cookiecutter.auth %}


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


def test_password_reset_is_limited_per_email(client: Client, user: User) -> None:
    for number in range(allowed("password_reset_email")):
        address = f"192.0.2.{number + 1}"
        response = client.post(
            reverse("password_reset"), {"email": user.email}, REMOTE_ADDR=address
        )
        assert response.status_code == 302
    response = client.post(
        reverse("password_reset"), {"email": user.email.upper()}, REMOTE_ADDR="192.0.2.99"
    )
    assert response.status_code == 429
    assert len(mail.outbox) == allowed("password_reset_email")


def test_password_reset_is_limited_per_client_address(client: Client) -> None:
    for number in range(allowed("password_reset")):
        data = {"email": f"u{number}@example.com"}
        assert client.post(reverse("password_reset"), data).status_code == 302
    assert client.post(reverse("password_reset"), {"email": "x@example.com"}).status_code == 429
{%- endif %}
{%- if cookiecutter.admin %}


def test_failed_admin_logins_lock_the_account(settings: Settings) -> None:
    User.objects.create_superuser(email="admin@example.com", password="a-long-admin-passphrase")
    url = reverse("admin:login")
    data = {"username": "admin@example.com", "password": "wrong"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert Client().post(url, data).status_code == 200
    assert Client().post(url, data).status_code == 429
    data = {"username": "admin@example.com", "password": "a-long-admin-passphrase"}
    response = Client().post(url, data, REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 429
{%- endif %}
