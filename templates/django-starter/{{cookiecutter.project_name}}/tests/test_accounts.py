import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects
from test_pages import autocomplete_values

from {{ cookiecutter.project_slug }}.accounts.models import User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase"


@pytest.mark.parametrize("name", ["login", "signup", "password_reset"])
def test_account_pages_render(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assertContains(response, "csrfmiddlewaretoken")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("login", {"username": "username", "password": "current-password"}),
        ("signup", {"email": "email", "password1": "new-password", "password2": "new-password"}),
        ("password_reset", {"email": "email"}),
    ],
)
def test_account_fields_say_what_to_autofill(
    client: Client,
    name: str,
    expected: dict[str, str],
) -> None:
    fields = autocomplete_values(client.get(reverse(name)).content.decode())
    assert {key: fields.get(key) for key in expected} == expected


def test_password_change_fields_say_what_to_autofill(client: Client, user: User) -> None:
    client.force_login(user)
    fields = autocomplete_values(client.get(reverse("password_change")).content.decode())
    assert fields["old_password"] == "current-password"
    assert fields["new_password1"] == fields["new_password2"] == "new-password"


def test_signup_creates_the_account_and_logs_in(
    client: Client, password: str, django_user_model: type[User]
) -> None:
    data = {"email": "grace@example.com", "password1": password, "password2": password}
    response = client.post(reverse("signup"), data, follow=True)
    assertRedirects(response, reverse("home"))
    assertContains(response, "grace@example.com")
    assertContains(response, "Log out")
    assert django_user_model.objects.filter(email="grace@example.com").exists()


def test_signup_refuses_an_email_already_in_use(client: Client, user: User, password: str) -> None:
    data = {"email": "ADA@example.com", "password1": password, "password2": password}
    response = client.post(reverse("signup"), data)
    assertContains(response, "An account with this email address already exists.")


def test_signup_refuses_mismatched_passwords(client: Client, password: str) -> None:
    data = {"email": "grace@example.com", "password1": password, "password2": "something-else"}
    response = client.post(reverse("signup"), data)
    assertContains(response, "errorlist")


def test_login_with_email(client: Client, user: User, password: str) -> None:
    response = client.post(
        reverse("login"), {"username": "ada@example.com", "password": password}, follow=True
    )
    assertRedirects(response, reverse("home"))
    assertContains(response, "ada@example.com")


def test_login_with_a_wrong_password_shows_the_form_again(client: Client, user: User) -> None:
    response = client.post(reverse("login"), {"username": user.email, "password": "wrong"})
    assertContains(response, "Please enter a correct")
    assertContains(response, 'name="username"')


def test_login_follows_next_within_the_site(client: Client, user: User, password: str) -> None:
    response = client.post(
        reverse("login") + "?next=/contact/", {"username": user.email, "password": password}
    )
    assertRedirects(response, "/contact/")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
def test_login_refuses_next_to_another_site(
    client: Client, user: User, password: str, target: str
) -> None:
    response = client.post(
        reverse("login"), {"username": user.email, "password": password, "next": target}
    )
    assertRedirects(response, reverse("home"))


def test_session_cookie_is_secure_and_http_only(client: Client, user: User, password: str) -> None:
    response = client.post(
        reverse("login"), {"username": user.email, "password": password}, secure=True
    )
    cookie = response.cookies["sessionid"]
    assert cookie["secure"]
    assert cookie["httponly"]


def test_logout_needs_post(client: Client, user: User) -> None:
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"), follow=True)
    assertRedirects(response, reverse("home"))
    assertNotContains(response, user.email)


def test_password_change(client: Client, user: User, password: str) -> None:
    client.force_login(user)
    data = {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = client.post(reverse("password_change"), data)
    assertRedirects(response, reverse("password_change_done"))
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_change_needs_login(client: Client) -> None:
    response = client.get(reverse("password_change"))
    assertRedirects(response, f"{reverse('login')}?next={reverse('password_change')}")


def test_password_reset_by_email(client: Client, user: User) -> None:
    response = client.post(reverse("password_reset"), {"email": user.email})
    assertRedirects(response, reverse("password_reset_done"))
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", str(mail.outbox[0].body))
    assert link is not None, "the email has no link"

    response = client.get(urlparse(link.group()).path, follow=True)
    assert response.context["validlink"]
    form_url = response.redirect_chain[-1][0]
    fields = autocomplete_values(response.content.decode())
    assert fields["new_password1"] == fields["new_password2"] == "new-password"
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = client.post(form_url, data)
    assertRedirects(response, reverse("password_reset_complete"))
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_createsuperuser_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, django_user_model: type[User]
) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "admin@example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-admin-passphrase")
    call_command("createsuperuser", "--noinput", verbosity=0)
    admin = django_user_model.objects.get(email="admin@example.com")
    assert admin.is_superuser
    assert admin.check_password("a-long-admin-passphrase")
