"""Error monitoring: a failing view reaches Sentry, without personal data.

The test runs its own Sentry: an HTTP server on this machine that keeps the
envelopes the SDK posts, at the address of the DSN the project is given.
"""

import gzip
import io
import json
import os
import secrets
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

import pytest
import sentry_sdk
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from {{ cookiecutter.project_slug }} import monitoring
from {{ cookiecutter.project_slug }}.accounts.models import User
from {{ cookiecutter.project_slug }}.wsgi import application

# A DSN nothing listens on: nothing is sent unless an error is reported.
LOCAL_DSN = "http://public-key@127.0.0.1:9/1"

# A visitor's address, as the server and as a proxy saw it: never reported.
# (Defined away from the failing view: a report quotes the lines around it.)
CLIENT_ADDRESS = "198.51.100.23"
FORWARDED_FOR = "203.0.113.7"


{% include "sentry_server.jinja" %}


def wsgi_post(path: str, form: dict[str, str], cookies: dict[str, str], **environ: str) -> str:
    """Post ``form`` through the project's WSGI application, as gunicorn
    calls it (the test client skips that layer, where Sentry reads the
    request); returns the status line."""
    body = urlencode(form).encode()
    env: dict[str, Any] = {}
    setup_testing_defaults(env)
    env.update(
        REQUEST_METHOD="POST",
        PATH_INFO=path,
        HTTP_HOST="testserver",
        CONTENT_TYPE="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(len(body)),
        HTTP_COOKIE="; ".join(f"{name}={value}" for name, value in cookies.items()),
        **environ,
    )
    env["wsgi.input"] = io.BytesIO(body)
    statuses = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
        statuses.append(status)
        return lambda data: None

    # As the test client does: the test's database connection stays open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = application(env, start_response)
        b"".join(response)
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return statuses[0]


@pytest.mark.urls("error_pages")
@pytest.mark.django_db
def test_an_error_reaches_sentry_without_personal_data(sentry: SentryServer) -> None:
    email, cookie = f"{secrets.token_hex(6)}@example.com", secrets.token_hex(8)
    client = Client()
    client.force_login(User.objects.create_user(email=email, password="x"))
    session = client.cookies["sessionid"].value
    csrf = secrets.token_hex(16)
    monitoring.init_sentry(sentry.dsn)
    status = wsgi_post(
        "/test/broken/",
        {"note": f"written by {email}", "csrfmiddlewaretoken": csrf},
        {"sessionid": session, "csrftoken": csrf, "tracking": cookie},
        REMOTE_ADDR=CLIENT_ADDRESS,
        HTTP_X_FORWARDED_FOR=FORWARDED_FOR,
    )
    sentry_sdk.flush()  # what the SDK queued, sent before the checks
    assert status.startswith("500 ")
    events = sentry.events()
    assert events, "no event reached the server"
    for event in events:
        [error] = event["exception"]["values"]
        assert (error["type"], error["value"]) == ("RuntimeError", "broken on purpose")
        assert event["environment"] == "production"
        assert event["request"]["url"] == "http://testserver/test/broken/"
        assert event["request"]["method"] == "POST"
        assert "user" not in event
    sent = "".join(sentry.envelopes)
    for private in (
        email,  # the user's address, in the form's body too
        cookie,
        session,
        csrf,
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


@pytest.mark.parametrize(("dsn", "active"), [("", False), (" ", False), (LOCAL_DSN, True)])
def test_settings_start_sentry_only_with_a_dsn(dsn: str, active: bool) -> None:
    """The settings as a server loads them: SENTRY_DSN unset or blank leaves
    the SDK off."""
    script = "import django, sentry_sdk; django.setup(); print(sentry_sdk.get_client().is_active())"
    env = {
        **os.environ,
        # The project's own settings (the package's), not the tests' ones.
        "DJANGO_SETTINGS_MODULE": f"{monitoring.__package__}.settings",
        "SECRET_KEY": "a-key-for-this-test-only",
        "SENTRY_DSN": dsn,
    }
    result = subprocess.run(  # noqa: S603 (this interpreter, a fixed script)
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    # The last line: the settings log on stdout before it.
    assert result.stdout.splitlines()[-1] == str(active)
