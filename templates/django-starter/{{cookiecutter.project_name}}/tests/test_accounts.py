import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django import Settings
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects
from test_pages import autocomplete_values

from {{ cookiecutter.project_slug }}.accounts.emails import verification_tokens
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


def signup(client: Client, email: str, password: str) -> Any:
    data = {"email": email, "password1": password, "password2": password}
    return client.post(reverse("signup"), data, follow=True)


def link_in(message: EmailMessage) -> str:
    link = re.search(r"https?://\S+", str(message.body))
    assert link is not None, f"no link in {message.body}"
    return urlparse(link.group()).path


def test_signup_creates_an_unverified_account_and_emails_a_link(
    client: Client, password: str, django_user_model: type[User]
) -> None:
    response = signup(client, "grace@example.com", password)
    assertRedirects(response, reverse("signup_done"))
    assertContains(response, "Check your email")
    assertNotContains(response, "Log out")
    account = django_user_model.objects.get(email="grace@example.com")
    assert not account.email_verified
    assert [message.to for message in mail.outbox] == [["grace@example.com"]]
    assert reverse("verify_email", args=["x", "y"])[:-4] in link_in(mail.outbox[0])


def test_verification_link_asks_for_the_password_then_logs_in(
    client: Client, password: str, django_user_model: type[User]
) -> None:
    signup(client, "grace@example.com", password)
    link = link_in(mail.outbox[0])
    page = client.get(link)
    assertContains(page, "grace@example.com")
    assertContains(page, 'autocomplete="current-password"')
    # Following the link is not enough: whoever signed up must confirm.
    assertContains(client.post(link, {"password": "not-the-password"}), "errorlist")
    assert not django_user_model.objects.get(email="grace@example.com").email_verified
    response = client.post(link, {"password": password}, follow=True)
    assertRedirects(response, reverse("home"))
    assertContains(response, "Log out")
    assert django_user_model.objects.get(email="grace@example.com").email_verified
    # The link works once.
    client.post(reverse("logout"))
    assert client.get(link).status_code == 404


def test_verification_link_expires(
    client: Client, password: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Links are valid for PASSWORD_RESET_TIMEOUT (3 days)."""
    signup(client, "grace@example.com", password)
    link = link_in(mail.outbox[0])
    later = datetime.now() + timedelta(days=4)
    monkeypatch.setattr(verification_tokens, "_now", lambda: later)
    assertContains(client.get(link), "invalid, has expired", status_code=404)
    assert client.post(link, {"password": password}).status_code == 404


def without_csrf_tokens(response: Any) -> str:
    """A page's HTML, less what differs on every response (the CSRF token)."""
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_signup_with_a_taken_address_answers_as_for_a_new_one(
    client: Client, user: User, password: str, django_user_model: type[User]
) -> None:
    """No "already exists": the page is the same, and the owner is told by email."""
    new = signup(Client(), "grace@example.com", password)
    taken = signup(client, "ADA@example.com", "another-long-passphrase")
    assertRedirects(taken, reverse("signup_done"))
    assert without_csrf_tokens(taken) == without_csrf_tokens(new)
    assert django_user_model.objects.filter(email__iexact="ada@example.com").count() == 1
    user.refresh_from_db()
    assert user.check_password(password)
    to_owner = mail.outbox[-1]
    assert to_owner.to == ["ada@example.com"]
    assert "already has an account" in str(to_owner.body)


def test_unverified_accounts_cannot_log_in_and_get_a_new_link(
    client: Client, password: str
) -> None:
    signup(client, "grace@example.com", password)
    response = client.post(
        reverse("login"), {"username": "grace@example.com", "password": password}
    )
    assertContains(response, "Confirm your email address first")
    assertNotContains(response, "Log out")
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["grace@example.com"]
    # A wrong password gets the usual answer, and no email.
    response = client.post(reverse("login"), {"username": "grace@example.com", "password": "x"})
    assertContains(response, "Please enter a correct")
    assert len(mail.outbox) == 2


def test_unverified_login_can_be_allowed(client: Client, password: str, settings: Settings) -> None:
    settings.ALLOW_UNVERIFIED_LOGIN = True
    signup(client, "grace@example.com", password)
    response = client.post(
        reverse("login"), {"username": "grace@example.com", "password": password}
    )
    assertRedirects(response, reverse("home"))


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


def logged_in(user: User, password: str) -> Client:
    """A browser of its own, logged in through the login form."""
    browser = Client()
    response = browser.post(reverse("login"), {"username": user.email, "password": password})
    assert response.status_code == 302
    return browser


def is_logged_in(browser: Client) -> bool:
    return browser.get(reverse("password_change")).status_code == 200


def test_login_gives_a_new_session_id(client: Client, user: User, password: str) -> None:
    """A session id planted before login (session fixation) is not the one
    the logged-in user gets, and it opens nothing."""
    session = client.session
    session["planted"] = True
    session.save()
    planted = client.cookies["sessionid"].value
    client.post(reverse("login"), {"username": user.email, "password": password})
    assert client.cookies["sessionid"].value != planted
    stranger = Client()
    stranger.cookies["sessionid"] = planted
    assert not is_logged_in(stranger)


def test_logout_ends_every_session_of_the_user(user: User, password: str) -> None:
    laptop, phone = logged_in(user, password), logged_in(user, password)
    assert is_logged_in(phone)
    laptop.post(reverse("logout"))
    assert not is_logged_in(laptop)
    assert not is_logged_in(phone)
    # Logging in again works.
    assert is_logged_in(logged_in(user, password))


def test_password_change_ends_the_other_sessions(user: User, password: str) -> None:
    laptop, phone = logged_in(user, password), logged_in(user, password)
    data = {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert laptop.post(reverse("password_change"), data).status_code == 302
    assert is_logged_in(laptop)
    assert not is_logged_in(phone)


def test_password_reset_ends_every_session(client: Client, user: User, password: str) -> None:
    phone = logged_in(user, password)
    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"https?://\S+", str(mail.outbox[0].body))
    assert link is not None
    response = client.get(urlparse(link.group()).path, follow=True)
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    client.post(response.redirect_chain[-1][0], data)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not is_logged_in(phone)


def test_password_reset_verifies_the_address(client: Client, django_user_model: type[User]) -> None:
    unverified = django_user_model.objects.create_user(email="grace@example.com", password="x")
    client.post(reverse("password_reset"), {"email": unverified.email})
    response = client.get(link_in(mail.outbox[0]), follow=True)
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    client.post(response.redirect_chain[-1][0], data)
    unverified.refresh_from_db()
    assert unverified.email_verified


def test_account_page_shows_the_address_and_is_in_the_navigation(
    client: Client, user: User
) -> None:
    client.force_login(user)
    home = client.get(reverse("home"))
    assertContains(home, f'href="{reverse("account")}"')
    page = client.get(reverse("account"))
    assertContains(page, user.email)
    assertContains(page, f'href="{reverse("password_change")}"')
    assertContains(page, 'autocomplete="current-password"')


def test_account_page_needs_login(client: Client) -> None:
    response = client.get(reverse("account"))
    assertRedirects(response, f"{reverse('login')}?next={reverse('account')}")


def test_delete_account_needs_the_password(
    client: Client, user: User, password: str, django_user_model: type[User]
) -> None:
    client.force_login(user)
    response = client.post(reverse("account"), {"password": "wrong"})
    assertContains(response, "That is not the password of this account.")
    assert django_user_model.objects.filter(pk=user.pk).exists()
    response = client.post(reverse("account"), {"password": password}, follow=True)
    assertRedirects(response, reverse("home"))
    assertContains(response, "Your account has been deleted.")
    assertNotContains(response, "Log out")
    assert not django_user_model.objects.filter(pk=user.pk).exists()
