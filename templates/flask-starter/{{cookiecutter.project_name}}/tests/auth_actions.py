"""The ``auth`` fixture: sign up, log in and log out through the real pages,
and read the emails the app sent."""

import re
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from {{ cookiecutter.project_slug }}.mail import outbox


class AuthActions:
    """Sign up, log in and log out through the real pages."""

    email = "ada@example.com"
    password = "correct-horse-battery"

    def __init__(self, client: FlaskClient, app: Flask) -> None:
        self._client = client
        self.outbox = outbox(app)

    def signup(self, email: str = email, password: str = password) -> TestResponse:
        return self._client.post(
            "/auth/signup",
            data={"email": email, "password": password, "confirm": password},
        )

    def register(self, email: str = email, password: str = password) -> TestResponse:
        """Sign up, follow the link of the verification email, and log in."""
        assert self.signup(email, password).status_code == 302
        verified = self._client.get(self.link(self.last_email(email), "/auth/verify/"))
        assert verified.status_code == 302
        # The page that shows (and so clears) the messages about the address.
        self._client.get(verified.headers["Location"])
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
