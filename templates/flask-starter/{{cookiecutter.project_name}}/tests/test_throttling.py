"""Throttling: repeated requests get HTTP 429 with a message that says why,
and the counters live in a store every worker shares."""

from pathlib import Path
from typing import Any

import pytest
from flask import Flask, request
from flask.testing import FlaskClient
from limits import parse
from limits.strategies import FixedWindowRateLimiter

from {{ cookiecutter.project_slug }}.throttling import SQLiteStorage, limiter


def send_message(client: FlaskClient) -> int:
    return client.post("/", data={"author": "Ada", "body": "Hello"}).status_code


def test_messages_are_throttled(client: FlaskClient) -> None:
    assert [send_message(client) for _ in range(10)] == [302] * 10
    response = client.post("/", data={"author": "Ada", "body": "Hello"})
    assert response.status_code == 429
    assert b"Too many messages from your address." in response.data
    assert int(response.headers["Retry-After"]) > 0
    # Reading the page is not throttled.
    assert client.get("/").status_code == 200
{%- if cookiecutter.i18n %}
{% include "tests/throttled_in_french.py" %}
{%- endif %}


def test_other_addresses_are_not_throttled(client: FlaskClient) -> None:
    for _ in range(11):
        send_message(client)
    other = {"REMOTE_ADDR": "192.0.2.7"}
    response = client.post(
        "/", data={"author": "Bob", "body": "Hi"}, environ_base=other
    )
    assert response.status_code == 302


def test_reading_a_page_runs_no_limit_check(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a form's submission is throttled: reading its page runs none of
    Flask-Limiter's checks, which cost a tenth of a page's time."""
    checked: list[str] = []
    check = limiter._check_request_limit

    def counted(*args: Any, **kwargs: Any) -> None:
        checked.append(f"{request.method} {request.path}")
        check(*args, **kwargs)

    monkeypatch.setattr(limiter, "_check_request_limit", counted)
    # Not before every request: no default or application limits are set.
    assert check not in app.before_request_funcs[None]
    pages = ["/"{% if cookiecutter.auth %}, "/auth/login", "/auth/signup", "/auth/reset"{% endif %}]
    for page in pages:
        assert client.get(page).status_code == 200
    assert checked == []
    assert send_message(client) == 302
    assert checked == ["POST /"]


def test_sqlite_store_is_shared_between_processes(tmp_path: Path) -> None:
    """Two stores on one file, as two gunicorn workers open it, see one count."""
    uri = f"sqlite:///{tmp_path}/limits.sqlite3"
    first = FixedWindowRateLimiter(SQLiteStorage(uri))
    second = FixedWindowRateLimiter(SQLiteStorage(uri))
    limit = parse("3 per minute")
    assert first.hit(limit, "client")
    assert second.hit(limit, "client")
    assert first.hit(limit, "client")
    assert not second.hit(limit, "client")
    assert not first.test(limit, "client")
    assert second.hit(limit, "another client")


def test_sqlite_store_forgets_expired_windows(tmp_path: Path) -> None:
    storage = SQLiteStorage(f"sqlite:///{tmp_path}/limits.sqlite3")
    assert storage.incr("key", expiry=60) == 1
    assert storage.incr("key", expiry=60, amount=2) == 3
    assert storage.get("key") == 3
    # A window that ended counts nothing, and the next hit starts a new one.
    assert storage.incr("old", expiry=0) == 1
    assert storage.get("old") == 0
    assert storage.incr("old", expiry=60) == 1
    storage.clear("key")
    assert storage.get("key") == 0
    assert storage.check()
