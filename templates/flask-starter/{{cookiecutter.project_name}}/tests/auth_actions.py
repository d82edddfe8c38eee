"""The ``auth`` fixture: sign up, log in and log out through the real pages."""

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse


class AuthActions:
    """Sign up, log in and log out through the real pages."""

    email = "ada@example.com"
    password = "correct-horse-battery"

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def signup(self, email: str = email, password: str = password) -> TestResponse:
        return self._client.post(
            "/auth/signup",
            data={"email": email, "password": password, "confirm": password},
        )

    def login(self, email: str = email, password: str = password) -> TestResponse:
        return self._client.post(
            "/auth/login", data={"email": email, "password": password}
        )

    def logout(self) -> TestResponse:
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)
