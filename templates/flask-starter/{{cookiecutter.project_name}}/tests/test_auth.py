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
    assert response.headers["Location"] == "/"
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == auth.email))
        assert user is not None
        assert user.password_hash != auth.password
        assert user.check_password(auth.password)


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
    auth.signup()
    fields = autocomplete(client.get("/auth/password").get_data(as_text=True))
    assert fields["current"] == "current-password"
    assert fields["password"] == fields["confirm"] == "new-password"


def test_signup_logs_in_and_shows_email(client: FlaskClient, auth: AuthActions) -> None:
    auth.signup()
    response = client.get("/")
    assert auth.email.encode() in response.data
    assert b"Log out" in response.data


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


def test_signup_twice(client: FlaskClient, auth: AuthActions) -> None:
    auth.signup()
    auth.logout()
    response = auth.signup(email="ADA@example.com")
    assert response.status_code == 200
    assert b"already exists" in response.data


def test_login(client: FlaskClient, auth: AuthActions) -> None:
    auth.signup()
    auth.logout()
    assert client.get("/auth/login").status_code == 200
    response = auth.login()
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert auth.email.encode() in client.get("/").data


def test_wrong_password(client: FlaskClient, auth: AuthActions) -> None:
    auth.signup()
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
    auth.signup()
    response = auth.logout()
    assert response.status_code == 302
    assert auth.email.encode() not in client.get("/").data


def test_logout_needs_post(client: FlaskClient, auth: AuthActions) -> None:
    auth.signup()
    assert client.get("/auth/logout").status_code == 405


def test_change_password(client: FlaskClient, auth: AuthActions) -> None:
    auth.signup()
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
    auth.signup()
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
    auth.signup()
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
    auth.signup()
    auth.logout()
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": auth.email, "password": auth.password},
    )
    assert response.headers["Location"] == "/"
