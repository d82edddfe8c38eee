"""Accounts: sign up, log in, log out, password change, safe redirects."""

from collections.abc import Callable

import pytest
from auth_actions import AuthActions
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from {{ cookiecutter.project_slug }}.database import db
from {{ cookiecutter.project_slug }}.users import User


def test_signup(client: FlaskClient, auth: AuthActions, app: Flask) -> None:
    assert client.get("/auth/signup").status_code == 200
    response = auth.signup()
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == auth.email))
        assert user is not None
        assert user.password_hash != auth.password
        assert user.check_password(auth.password)
        assert not user.email_verified


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            "/auth/signup",
            {"email": "email", "password": "new-password", "confirm": "new-password"},
        ),
        ("/auth/login", {"email": "email", "password": "current-password"}),
    ],
)
def test_fields_say_what_to_autofill(
    client: FlaskClient,
    autocomplete: Callable[[str], dict[str, str | None]],
    page: str,
    expected: dict[str, str],
) -> None:
    fields = autocomplete(client.get(page).get_data(as_text=True))
    assert {name: fields.get(name) for name in expected} == expected


def test_password_fields_say_what_to_autofill(
    client: FlaskClient,
    auth: AuthActions,
    autocomplete: Callable[[str], dict[str, str | None]],
) -> None:
    auth.register()
    fields = autocomplete(client.get("/auth/password").get_data(as_text=True))
    assert fields["current"] == "current-password"
    assert fields["password"] == fields["confirm"] == "new-password"


def test_signup_sends_a_link_that_confirms_the_address(
    client: FlaskClient, auth: AuthActions, app: Flask
) -> None:
    auth.signup()
    page = client.get("/auth/login").get_data(as_text=True)
    assert f"We sent a message to {auth.email}" in page
    # Not before the address is confirmed.
    refused = auth.login()
    assert refused.status_code == 200
    assert b"Please confirm your email address first" in refused.data
    message = auth.last_email()
    assert message["Subject"] == "Confirm your email address"
    assert client.get(auth.link(message, "/auth/verify/")).status_code == 302
    assert b"Your email address is confirmed." in client.get("/auth/login").data
    assert auth.login().status_code == 302
    response = client.get("/")
    assert auth.email.encode() in response.data
    assert b"Log out" in response.data


def test_unverified_users_may_log_in_when_allowed(
    client: FlaskClient, auth: AuthActions, app: Flask
) -> None:
    app.config["ALLOW_UNVERIFIED_LOGIN"] = True
    auth.signup()
    assert auth.login().status_code == 302


def test_a_verification_link_cannot_be_forged(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.signup()
    link = auth.link(auth.last_email(), "/auth/verify/")
    forged = link[:-2] + ("AA" if not link.endswith("AA") else "BB")
    assert client.get(forged).status_code == 302
    assert b"This link is invalid or has expired." in client.get("/auth/login").data
    assert auth.login().status_code == 200


@pytest.mark.parametrize(
    ("email", "password", "confirm", "message"),
    [
        ("", "correct-horse-battery", "correct-horse-battery", b"required"),
        ("not-an-email", "correct-horse-battery", "correct-horse-battery", b"email"),
        ("ada@example.com", "short", "short", b"at least 8 characters"),
        ("ada@example.com", "correct-horse-battery", "other", b"do not match"),
    ],
)
def test_signup_validation(
    client: FlaskClient, email: str, password: str, confirm: str, message: bytes
) -> None:
    response = client.post(
        "/auth/signup",
        data={"email": email, "password": password, "confirm": confirm},
    )
    assert response.status_code == 200
    assert message in response.data


def test_signup_twice_answers_as_the_first_time(
    client: FlaskClient, auth: AuthActions
) -> None:
    """A taken address gets the same answer; its owner gets an email."""
    auth.register()
    auth.logout()
    auth.outbox.clear()
    response = auth.signup(email="ADA@example.com")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    page = client.get("/auth/login").get_data(as_text=True)
    assert f"We sent a message to {auth.email}" in page
    notice = auth.last_email()
    assert "already has an account" in notice.get_content()
    # The password is still the owner's.
    assert auth.login().status_code == 302


def test_login(client: FlaskClient, auth: AuthActions) -> None:
    auth.register()
    auth.logout()
    assert client.get("/auth/login").status_code == 200
    response = auth.login()
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert auth.email.encode() in client.get("/").data


def test_wrong_password(client: FlaskClient, auth: AuthActions) -> None:
    auth.register()
    auth.logout()
    response = auth.login(password="not-the-password")
    assert response.status_code == 200
    assert b"Wrong email or password." in response.data
    assert b'name="password"' in response.data


def test_unknown_email(auth: AuthActions) -> None:
    response = auth.login(email="nobody@example.com")
    assert response.status_code == 200
    assert b"Wrong email or password." in response.data


def test_logout(client: FlaskClient, auth: AuthActions) -> None:
    auth.register()
    response = auth.logout()
    assert response.status_code == 302
    assert auth.email.encode() not in client.get("/").data


def test_logout_needs_post(client: FlaskClient, auth: AuthActions) -> None:
    auth.register()
    assert client.get("/auth/logout").status_code == 405


def test_change_password(client: FlaskClient, auth: AuthActions) -> None:
    auth.register()
    assert client.get("/auth/password").status_code == 200
    response = client.post(
        "/auth/password",
        data={
            "current": auth.password,
            "password": "a-brand-new-password",
            "confirm": "a-brand-new-password",
        },
    )
    assert response.status_code == 302
    auth.logout()
    assert auth.login().status_code == 200
    assert auth.login(password="a-brand-new-password").status_code == 302


def test_change_password_needs_current_password(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.register()
    response = client.post(
        "/auth/password",
        data={
            "current": "wrong",
            "password": "another-long-passphrase",
            "confirm": "another-long-passphrase",
        },
    )
    assert response.status_code == 200
    assert b"not your current password" in response.data


def test_change_password_needs_login(client: FlaskClient) -> None:
    response = client.get("/auth/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_login_follows_local_next(client: FlaskClient, auth: AuthActions) -> None:
    auth.register()
    auth.logout()
    response = client.post(
        "/auth/login?next=/auth/password",
        data={"email": auth.email, "password": auth.password},
    )
    assert response.headers["Location"] == "/auth/password"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example", "/\\evil.example"]
)
def test_login_refuses_foreign_next(
    client: FlaskClient, auth: AuthActions, target: str
) -> None:
    auth.register()
    auth.logout()
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": auth.email, "password": auth.password},
    )
    assert response.headers["Location"] == "/"
