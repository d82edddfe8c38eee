"""Sessions that end: logging out and changing the password end every other
session and remember-me cookie of the user; logging in starts a new CSRF token.
"""

import re

from auth_actions import AuthActions
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from {{ cookiecutter.project_slug }}.database import db
from {{ cookiecutter.project_slug }}.users import User

NEW_PASSWORD = "a-brand-new-password"


def logged_in(client: FlaskClient) -> bool:
    """Whether ``client`` may open a page that needs a login."""
    return client.get("/auth/password").status_code == 200


def log_in(client: FlaskClient, remember: bool = False) -> None:
    data = {"email": AuthActions.email, "password": AuthActions.password}
    if remember:
        data["remember"] = "y"
    assert client.post("/auth/login", data=data).status_code == 302


def change_password(client: FlaskClient) -> None:
    response = client.post(
        "/auth/password",
        data={
            "current": AuthActions.password,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302


def remember_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("remember_token")
    assert cookie is not None, "no remember-me cookie"
    return cookie.value


def with_only_remember_cookie(app: Flask, value: str) -> FlaskClient:
    """A new browser holding nothing but a remember-me cookie."""
    client = app.test_client()
    client.set_cookie("remember_token", value)
    return client


def test_logout_ends_the_other_sessions(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.register()
    other = app.test_client()
    log_in(other)
    assert logged_in(other)
    auth.logout()
    assert not logged_in(other)
    assert not logged_in(client)


def test_logout_revokes_the_remember_me_cookie(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.register()
    auth.logout()
    log_in(client, remember=True)
    cookie = remember_cookie(client)
    # The cookie alone opens the site, until the user logs out.
    assert logged_in(with_only_remember_cookie(app, cookie))
    auth.logout()
    assert not logged_in(with_only_remember_cookie(app, cookie))


def test_password_change_ends_the_other_sessions_only(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.register()
    auth.logout()
    log_in(client, remember=True)
    cookie = remember_cookie(client)
    other = app.test_client()
    log_in(other)
    change_password(client)
    assert logged_in(client)
    assert not logged_in(other)
    assert not logged_in(with_only_remember_cookie(app, cookie))
    # This browser's new remember-me cookie works.
    assert logged_in(with_only_remember_cookie(app, remember_cookie(client)))


def test_sessions_hold_the_session_token(app: Flask, auth: AuthActions) -> None:
    auth.register()
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == auth.email))
        assert user is not None
        assert user.get_id() == f"{user.id}:{user.session_token}"
        assert len(user.session_token) >= 32


def test_a_session_with_only_the_user_id_is_refused(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    """Sessions written before session tokens (the id alone) end."""
    auth.register()
    auth.logout()
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == auth.email))
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
    assert not logged_in(client)


def csrf_token(client: FlaskClient, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, html
    return found[1]


def test_login_starts_a_new_csrf_token(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    auth.register()
    auth.logout()
    app.config["WTF_CSRF_ENABLED"] = True
    before = csrf_token(client, "/auth/login")
    # The test client speaks HTTPS, where Flask-WTF also wants a same-site Referer.
    headers = {"Referer": "https://localhost/auth/login"}
    response = client.post(
        "/auth/login",
        data={"email": auth.email, "password": auth.password, "csrf_token": before},
        headers=headers,
    )
    assert response.status_code == 302
    after = csrf_token(client, "/auth/password")
    assert after != before
    # The token seen before logging in is refused now.
    old = client.post("/auth/logout", data={"csrf_token": before}, headers=headers)
    assert old.status_code == 400
    new = client.post("/auth/logout", data={"csrf_token": after}, headers=headers)
    assert new.status_code == 302
