"""The ``auth`` fixture: sign up, log in and log out through the real pages,
make accounts, and read the emails the app sent."""

import re
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from {{ cookiecutter.project_slug }}.database import db
from {{ cookiecutter.project_slug }}.mail import outbox
from {{ cookiecutter.project_slug }}.users import User, normalise_email


class AuthActions:
    """Sign up, log in and log out through the real pages."""

    email = "ada@example.com"
    password = "correct-horse-battery"

    def __init__(self, client: FlaskClient, app: Flask) -> None:
        self._client = client
        self._app = app
        self.outbox = outbox(app)

    def signup(self, email: str = email, password: str = password) -> TestResponse:
        return self._client.post(
            "/auth/signup",
            data={"email": email, "password": password, "confirm": password},
        )

    def register(self, email: str = email, password: str = password) -> TestResponse:
        """An account whose address is confirmed, logged in to.

        The account is stored as sign-up and its link leave it (the tests of
        sign-up follow those pages): most tests only need someone logged in.
        """
        with self._app.app_context():
            user = User(email=normalise_email(email), email_verified=True)
            user.set_password(password)
            db.session.add(user)
            db.session.commit()
        return self.login(email, password)

    def login(self, email: str = email, password: str = password) -> TestResponse:
        return self._client.post(
            "/auth/login", data={"email": email, "password": password}
        )

    def logout(self) -> TestResponse:
        return self._client.post("/auth/logout")

    def last_email(self, to: str = email) -> EmailMessage:
        """The last message sent to ``to``."""
        sent = [message for message in self.outbox if message["To"] == to]
        assert sent, f"no email to {to}"
        return sent[-1]

    @staticmethod
    def link(message: EmailMessage, path: str = "/auth/") -> str:
        """The path of the message's last link under ``path``."""
        body = message.get_content()
        urls: list[str] = re.findall(r"https?://\S+", body)
        links = [urlsplit(url).path for url in urls]
        links = [link for link in links if link.startswith(path)]
        assert links, f"no link to {path} in:\n{body}"
        return links[-1]


@pytest.fixture
def auth(client: FlaskClient, app: Flask) -> AuthActions:
    outbox(app).clear()
    return AuthActions(client, app)
