"""Throttling of the account pages: failed logins lock an account and a
client address, and sign-ups answer 429 past their limit."""

from auth_actions import AuthActions
from flask.testing import FlaskClient

WRONG = "not-the-password"


def test_failed_logins_lock_the_account(auth: AuthActions) -> None:
    auth.register()
    auth.logout()
    assert [auth.login(password=WRONG).status_code for _ in range(5)] == [200] * 5
    # Now even the right password waits.
    response = auth.login()
    assert response.status_code == 429
    assert b"Too many failed logins." in response.data
    assert int(response.headers["Retry-After"]) > 0


def test_the_account_lock_holds_for_every_address(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.register()
    auth.logout()
    for number in range(5):
        client.post(
            "/auth/login",
            data={"email": auth.email, "password": WRONG},
            environ_base={"REMOTE_ADDR": f"192.0.2.{number}"},
        )
    # The email in another case names the same account.
    response = client.post(
        "/auth/login",
        data={"email": auth.email.upper(), "password": auth.password},
        environ_base={"REMOTE_ADDR": "198.51.100.1"},
    )
    assert response.status_code == 429


def test_successful_logins_are_not_counted(auth: AuthActions) -> None:
    auth.register()
    auth.logout()
    for _ in range(8):
        assert auth.login().status_code == 302
        auth.logout()


def test_failed_logins_are_throttled_per_address(auth: AuthActions) -> None:
    statuses = [
        auth.login(email=f"user{number}@example.com", password=WRONG).status_code
        for number in range(21)
    ]
    assert statuses == [200] * 20 + [429]


def test_signups_are_throttled(auth: AuthActions) -> None:
    for number in range(10):
        assert auth.signup(email=f"user{number}@example.com").status_code == 302
        auth.logout()
    response = auth.signup(email="one-more@example.com")
    assert response.status_code == 429
    assert b"Too many sign-ups from your address." in response.data
