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


class SentryServer(ThreadingHTTPServer):
    """Receives envelopes as Sentry's ingest endpoint does (and answers 200)."""

    def __init__(self) -> None:
        # Port 0: the system picks a free port, known once the socket is bound.
        super().__init__(("127.0.0.1", 0), EnvelopeHandler)
        self.envelopes: list[str] = []

    @property
    def dsn(self) -> str:
        return f"http://public-key@127.0.0.1:{self.server_address[1]}/1"

    def events(self) -> list[dict[str, Any]]:
        """The error events received: an envelope's items are one JSON line each."""
        found = []
        for envelope in self.envelopes:
            for line in envelope.splitlines():
                try:
                    item = json.loads(line)
                except ValueError:
                    continue
                if isinstance(item, dict) and "exception" in item:
                    found.append(item)
        return found


class EnvelopeHandler(BaseHTTPRequestHandler):
    server: SentryServer

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.server.envelopes.append(body.decode())
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads the envelopes, not an access log."""


@pytest.fixture
def sentry() -> Iterator[SentryServer]:
    server = SentryServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    # The SDK off again for the next tests, then the server stopped.
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)
    server.shutdown()
    server.server_close()


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
