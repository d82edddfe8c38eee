{%- set db = cookiecutter.database != "none" -%}
"""Fixtures: ``settings``, ``app``, ``app_with``, ``make_app``, ``client``,
``runner`` and ``autocomplete``.  A feature's test setup is a module of its
own beside this one, kept with the feature (its fixtures, if any, named in
``pytest_plugins``).
"""

import gc
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import pytest
{%- if db %}
from database_setup import database_uri, dispose, drop_tables, fresh_tables
{%- endif %}
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
{%- if cookiecutter.tasks == "celery" %}
from tasks_setup import EAGER_CELERY
{%- endif %}

from {{ cookiecutter.project_slug }} import create_app
from {{ cookiecutter.project_slug }}.throttling import SQLiteStorage
{%- if cookiecutter.auth %}

pytest_plugins = ["auth_actions"]
{%- endif %}


class CompiledTemplates(BytecodeCache):
    """Templates compiled once for the whole run, in memory.

    Each test builds its own app, with a Jinja environment of its own that
    would compile every page it renders again: about a third of the run.
    Jinja checks each template's source against what was compiled.
    """

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = CompiledTemplates()


def build(settings: dict[str, Any]) -> Flask:
    """``create_app``, sharing the compiled templates between the tests."""
    app = create_app(settings)
    app.jinja_env.bytecode_cache = TEMPLATES
    return app


#: The apps the ``app`` and ``app_with`` fixtures lend, by their settings,
#: each with the configuration it was built with.  Building an app binds every
#: extension and compiles every URL rule, most of a short test's time; a test
#: that needs an app of its own (new routes, other environment variables)
#: uses ``make_app``.
APPS: dict[str, tuple[Flask, dict[str, Any]]] = {}


@contextmanager
def shared_app(
    settings: dict[str, Any], prepare: Callable[[Flask], None] | None = None
) -> Iterator[Flask]:
    """The app built with ``settings`` (and given to ``prepare`` before its
    first request), its configuration restored after use (tests may change
    settings on it)."""
    key = repr((sorted(settings.items()), prepare))
    if key not in APPS:
        app = build(settings)
        if prepare:
            prepare(app)
        APPS[key] = (app, dict(app.config))
    app, config = APPS[key]
    try:
        yield app
    finally:
        app.config.clear()
        app.config.update(config)


def pytest_collection_finish(session: pytest.Session) -> None:
    """What the run imported stays until its end: out of the garbage
    collector's way (``gc.freeze``), which would otherwise walk all of it in
    each of its full passes, a tenth of the run or more."""
    gc.freeze()
{%- if db %}
{% include "tests/drop_tables.py" %}
{%- endif %}


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Production defaults, whatever the shell says."""
    monkeypatch.delenv("FLASK_DEBUG", raising=False)


class KeptConnection(sqlite3.Connection):
    """A connection that the store's ``close()`` after each operation leaves
    open; ``release()`` closes it."""

    def close(self) -> None:
        pass

    def release(self) -> None:
        super().close()


class UnsyncedSQLiteStorage(SQLiteStorage):
    """The project's SQLite store of counters, on one connection for the
    whole run that does not wait for the disk.

    Each count is a transaction that SQLite writes through to the disk
    (``fsync``), 10-20 ms on a busy disk, and each operation opens the file
    again: most of the run's time with hundreds of counted requests.  The
    tests' counters need not survive a power cut, nor be shared with another
    process; ``test_throttling.py`` tests the store as the app opens it.
    """

    STORAGE_SCHEME = ["sqlite+unsynced"]

    #: The connection to each file, open until the end of the run.
    connections: ClassVar[dict[Path, KeptConnection]] = {}

    def connect(self) -> sqlite3.Connection:
        if self.path not in self.connections:
            super().connect().close()  # makes the table
            connection = sqlite3.connect(
                self.path, isolation_level=None, factory=KeptConnection
            )
            connection.execute("PRAGMA synchronous = OFF")
            self.connections[self.path] = connection
        return self.connections[self.path]


@pytest.fixture(scope="session")
def ratelimits(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The throttling store of the run: the one used without Redis."""
    path = tmp_path_factory.mktemp("throttling") / "ratelimits.sqlite3"
    yield f"sqlite+unsynced:///{path}"
    for connection in UnsyncedSQLiteStorage.connections.values():
        connection.release()
    UnsyncedSQLiteStorage.connections.clear()


@pytest.fixture
def settings(ratelimits: str) -> dict[str, Any]:
    """Settings for a test app; tests may change them before building one."""
    # Each test starts with no request counted (the store is the same for
    # every test, so the apps it is part of can be shared).
    UnsyncedSQLiteStorage(ratelimits).reset()
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        # The test client asks for http://localhost/; tests of the HTTPS
        # redirect turn it on.
        "ALLOWED_HOSTS": ["localhost"],
        "SECURE_SSL_REDIRECT": False,
        # Most tests post forms without a token; test_security checks CSRF.
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": ratelimits,
{%- if cookiecutter.auth %}
{% include "tests/auth_settings.py" %}
{%- endif %}
{%- if db %}
        "SQLALCHEMY_DATABASE_URI": database_uri(),
{%- endif %}
{%- if cookiecutter.tasks == "celery" %}
        "CELERY": EAGER_CELERY,
{%- endif %}
{%- if cookiecutter.monitoring == "sentry" %}
        # Errors raised on purpose here are never reported.
        "SENTRY_DSN": "",
{%- endif %}
    }


@pytest.fixture
def app(settings: dict[str, Any]) -> Iterator[Flask]:
    """An app with these settings{% if db %} and empty tables{% endif %}, shared with other tests."""
{%- if db %}
    with shared_app(settings) as app, fresh_tables(app):
        yield app
{%- else %}
    with shared_app(settings) as app:
        yield app
{%- endif %}


@pytest.fixture
def make_app(
    settings: dict[str, Any], request: pytest.FixtureRequest
) -> Callable[..., Flask]:
    """Build more apps, with some settings changed, for one test."""

    def make(**overrides: Any) -> Flask:
        app = build({**settings, **overrides})
{%- if db %}
        request.addfinalizer(lambda: dispose(app))
{%- endif %}
        return app

    return make


@pytest.fixture
def app_with(settings: dict[str, Any]) -> Iterator[Callable[..., Flask]]:
    """Apps with some settings changed{% if db %} (and no tables){% endif %}, each
    shared with the tests that change the same ones: for settings read when
    the app is built.  ``prepare``, if given, changes the app once, before
    its first request."""
    with ExitStack() as apps:

        def make(
            prepare: Callable[[Flask], None] | None = None, **overrides: Any
        ) -> Flask:
            return apps.enter_context(shared_app({**settings, **overrides}, prepare))

        yield make


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


class InputParser(HTMLParser):
    """Collects the attributes of each ``<input>`` of a page, by its name."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: dict[str, dict[str, str | None]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "input":
            found = dict(attrs)
            self.inputs[found.get("name") or ""] = found


def autocomplete_values(html: str) -> dict[str, str | None]:
    """Input name -> its autocomplete attribute (None when it has none)."""
    parser = InputParser()
    parser.feed(html)
    return {name: found.get("autocomplete") for name, found in parser.inputs.items()}


@pytest.fixture
def autocomplete() -> Callable[[str], dict[str, str | None]]:
    """What a browser or password manager reads to fill each field of a page."""
    return autocomplete_values
