"""Error monitoring: a failing view reaches Sentry, without personal data.

The test runs its own Sentry: an HTTP server on this machine that keeps the
envelopes the SDK posts, at the address of the DSN the app is given.
"""

import gzip
import json
import secrets
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import sentry_sdk
from flask import Flask

from {{ cookiecutter.project_slug }} import monitoring

# A DSN nothing listens on: nothing is sent unless an error is reported.
LOCAL_DSN = "http://public-key@127.0.0.1:9/1"

# A visitor's address, as the server and as a proxy saw it: never reported.
# (Defined away from the failing view: a report quotes the lines around it.)
CLIENT_ADDRESS = "198.51.100.23"
FORWARDED_FOR = "203.0.113.7"


{% include "sentry_server.jinja" %}


def test_an_error_reaches_sentry_without_personal_data(
    sentry: SentryServer, make_app: Callable[..., Flask]
) -> None:
    email, cookie = f"{secrets.token_hex(6)}@example.com", secrets.token_hex(8)
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.post("/test/broken")
    def broken() -> str:
        raise RuntimeError("broken on purpose")

    client = app.test_client()
    client.set_cookie("session", cookie)
    monitoring.init_sentry(sentry.dsn)
    response = client.post(
        "/test/broken",
        data={"note": f"written by {email}"},
        headers={"X-Forwarded-For": FORWARDED_FOR},
        environ_base={"REMOTE_ADDR": CLIENT_ADDRESS},
    )
    sentry_sdk.flush()  # what the SDK queued, sent before the checks
    assert response.status_code == 500
    events = sentry.events()
    assert events, "no event reached the server"
    for event in events:
        [error] = event["exception"]["values"]
        assert (error["type"], error["value"]) == ("RuntimeError", "broken on purpose")
        assert event["environment"] == "production"
        assert event["request"]["url"].endswith("/test/broken")
        assert "user" not in event
    sent = "".join(sentry.envelopes)
    for private in (
        email,  # in the form's body
        cookie,
        CLIENT_ADDRESS,
        FORWARDED_FOR,
    ):
        assert private not in sent, f"{private!r} was sent to Sentry"


def test_environment_and_release_come_from_the_environment(
    sentry: SentryServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SENTRY_ENVIRONMENT", "staging")
    monkeypatch.setenv("SENTRY_RELEASE", "2024.5.1")
    monitoring.init_sentry(sentry.dsn)
    sentry_sdk.capture_exception(ValueError("reported by hand"))
    sentry_sdk.flush()
    [event] = sentry.events()
    assert event["environment"] == "staging"
    assert event["release"] == "2024.5.1"


@pytest.mark.parametrize(
    ("dsn", "active"), [("", False), (" ", False), (LOCAL_DSN, True)]
)
def test_the_app_starts_sentry_only_with_a_dsn(
    sentry: SentryServer, make_app: Callable[..., Flask], dsn: str, active: bool
) -> None:
    make_app(SENTRY_DSN=dsn)
    assert sentry_sdk.get_client().is_active() is active
