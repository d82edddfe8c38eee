"""The account page: email, password change, deleting the account."""

from auth_actions import AuthActions
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from {{ cookiecutter.project_slug }}.database import db
from {{ cookiecutter.project_slug }}.users import User


def test_the_account_page_needs_login(client: FlaskClient) -> None:
    response = client.get("/auth/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_the_account_page(client: FlaskClient, auth: AuthActions) -> None:
    auth.register()
    home = client.get("/").get_data(as_text=True)
    assert 'href="/auth/account"' in home
    page = client.get("/auth/account").get_data(as_text=True)
    assert auth.email in page
    assert 'href="/auth/password"' in page
    assert 'action="/auth/account/delete"' in page


def test_deleting_needs_the_password(
    client: FlaskClient, auth: AuthActions, app: Flask
) -> None:
    auth.register()
    response = client.post("/auth/account/delete", data={"password": "wrong"})
    assert response.status_code == 400
    assert b"This is not your password." in response.data
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == auth.email))


def test_deleting_the_account(
    client: FlaskClient, auth: AuthActions, app: Flask
) -> None:
    auth.register()
    response = client.post("/auth/account/delete", data={"password": auth.password})
    assert response.status_code == 302
    assert b"Your account was deleted." in client.get("/").data
    assert auth.email.encode() not in client.get("/").data
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == auth.email)) is None
    assert auth.login().status_code == 200
