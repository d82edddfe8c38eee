"""Password rules: length, common passwords, numbers only, the email address."""

import pytest
from auth_actions import AuthActions
from flask import Flask
from flask.testing import FlaskClient

from {{ cookiecutter.project_slug }}.passwords import password_problems

TOO_SHORT = "Use at least 8 characters."
NUMERIC = "The password cannot be entirely numeric."
SIMILAR = "The password is too similar to the email address."
GUESSABLE = "This password is too easy to guess."


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("seven77", TOO_SHORT),
        ("password", GUESSABLE),
        ("12345678", NUMERIC),
        ("84726193058173640", NUMERIC),
        ("aaaaaaaa", GUESSABLE),
        ("qwertyuiop", GUESSABLE),
        ("P@ssw0rd1", GUESSABLE),
        ("sunshine99", GUESSABLE),
        ("ada.lovelace", SIMILAR),
        ("lovelace1815", SIMILAR),
        ("ada@example.org", SIMILAR),
        ("lovelaceada", SIMILAR),
    ],
)
def test_weak_passwords_are_refused(app: Flask, password: str, problem: str) -> None:
    with app.app_context():
        assert problem in password_problems(password, "ada.lovelace@example.org")


@pytest.mark.parametrize(
    "password", ["correct-horse-battery", "Tr0ub4dor&3x", "a-new-passphrase"]
)
def test_strong_passwords_pass(app: Flask, password: str) -> None:
    with app.app_context():
        assert password_problems(password, "ada.lovelace@example.org") == []


@pytest.mark.parametrize("password", ["password", "12345678", "ada@example.com"])
def test_signup_refuses_weak_passwords(auth: AuthActions, password: str) -> None:
    response = auth.signup(password=password)
    assert response.status_code == 200
    assert b'aria-invalid="true"' in response.data


def test_password_change_refuses_a_password_like_the_email(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.register()
    auth.login()
    new = "ada@example.com!"
    response = client.post(
        "/auth/password",
        data={"current": auth.password, "password": new, "confirm": new},
    )
    assert response.status_code == 200
    assert SIMILAR in response.get_data(as_text=True)
