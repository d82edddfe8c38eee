"""Password reset by email, and answers that do not tell whether an address
has an account."""

import pytest
from auth_actions import AuthActions
from flask import Flask
from flask.testing import FlaskClient

NEW = "a-brand-new-passphrase"
SENT = "If this address has an account, we sent it a reset link."


def ask_reset(client: FlaskClient, email: str) -> str:
    """Ask for a reset link for ``email``; the page the visitor lands on."""
    response = client.post("/auth/reset", data={"email": email})
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    return client.get("/auth/login").get_data(as_text=True)


def test_reset_flow(client: FlaskClient, auth: AuthActions) -> None:
    auth.register()
    auth.logout()
    assert client.get("/auth/login").status_code == 200
    assert b'href="/auth/reset"' in client.get("/auth/login").data
    assert SENT in ask_reset(client, auth.email.upper())
    message = auth.last_email()
    assert message["Subject"] == "Choose a new password"
    link = auth.link(message, "/auth/reset/")
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert auth.login().status_code == 200  # the old password is gone
    assert auth.login(password=NEW).status_code == 302


def test_a_reset_link_works_once(client: FlaskClient, auth: AuthActions) -> None:
    auth.register()
    auth.logout()
    ask_reset(client, auth.email)
    link = auth.link(auth.last_email(), "/auth/reset/")
    assert client.post(link, data={"password": NEW, "confirm": NEW}).status_code == 302
    again = client.post(link, data={"password": "x-" + NEW, "confirm": "x-" + NEW})
    assert again.status_code == 302
    assert again.headers["Location"] == "/auth/reset"
    assert auth.login(password=NEW).status_code == 302


def test_a_reset_link_expires(
    client: FlaskClient, auth: AuthActions, app: Flask
) -> None:
    auth.register()
    auth.logout()
    ask_reset(client, auth.email)
    link = auth.link(auth.last_email(), "/auth/reset/")
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    assert client.get(link).headers["Location"] == "/auth/reset"
    assert b"This link is invalid or has expired." in client.get("/auth/reset").data


def test_the_new_password_follows_the_rules(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.register()
    auth.logout()
    ask_reset(client, auth.email)
    link = auth.link(auth.last_email(), "/auth/reset/")
    response = client.post(link, data={"password": "password", "confirm": "password"})
    assert response.status_code == 200
    assert b"This password is too easy to guess." in response.data


def test_a_reset_ends_every_session(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.register()
    other = app.test_client()
    other.post("/auth/login", data={"email": auth.email, "password": auth.password})
    assert other.get("/auth/account").status_code == 200
    ask_reset(app.test_client(), auth.email)
    link = auth.link(auth.last_email(), "/auth/reset/")
    app.test_client().post(link, data={"password": NEW, "confirm": NEW})
    assert other.get("/auth/account").status_code == 302
    assert client.get("/auth/account").status_code == 302


def test_unknown_addresses_get_the_same_answer(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.register()
    auth.logout()
    auth.outbox.clear()
    known = ask_reset(client, auth.email)
    unknown = ask_reset(client, "nobody@example.com")
    assert SENT in known and SENT in unknown
    assert [message["To"] for message in auth.outbox] == [auth.email]


def test_a_reset_verifies_the_address(client: FlaskClient, auth: AuthActions) -> None:
    auth.signup()
    ask_reset(client, auth.email)
    link = auth.link(auth.last_email(), "/auth/reset/")
    client.post(link, data={"password": NEW, "confirm": NEW})
    assert auth.login(password=NEW).status_code == 302


@pytest.mark.parametrize("email", ["ada@example.com", "nobody@example.com"])
def test_reset_requests_are_throttled(
    client: FlaskClient, auth: AuthActions, email: str
) -> None:
    auth.register()
    auth.logout()
    form = {"email": email}
    statuses = [client.post("/auth/reset", data=form).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert b"Too many reset requests." in (
        client.post("/auth/reset", data={"email": email}).data
    )
