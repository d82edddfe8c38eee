"""Throttling (Flask-Limiter): too many requests of one kind get HTTP 429.

The pages an attacker would repeat name their limits where they are defined:
the home page's form in ``main.py``
{%- if cookiecutter.auth %}, failed logins (per account and per client
address) and sign-ups in ``auth.py``{% endif %}.
A page whose form is throttled is two views, so that reading it runs no limit
check; a limit on a whole blueprint is checked once ``check_blueprint_limits``
names the blueprint.

The counters must be shared by every gunicorn worker (Flask-Limiter's own
default store, memory, gives each worker counters of its own):
``default_storage`` says where they are kept unless ``RATELIMIT_STORAGE_URI``
names another store Flask-Limiter supports.
"""

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import Storage

#: Limits are counted per client address unless a limit says otherwise (the
#: address is the one the proxies in FORWARDED_PROXIES report).
limiter = Limiter(key_func=get_remote_address)


def init_app(app: Flask) -> None:
    """Count requests for ``app`` in the shared store."""
    app.config.setdefault(
        "RATELIMIT_STORAGE_URI",
        os.environ.get("RATELIMIT_STORAGE_URI") or default_storage(app),
    )
    # Every limit starts with the project's name, in a store shared with others.
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "{{ cookiecutter.project_slug }}")
    # Retry-After and X-RateLimit-* tell clients when to try again.
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
    manager = limiter.limit_manager
    if not (manager.default_limits or manager.application_limits):
        # Flask-Limiter checks, before every request, the limits that no view
        # names itself (default, application and blueprint limits): some
        # 40 µs of each page's time even when there are none.  Without
        # default and application limits only a blueprint's limits are left,
        # and ``check_blueprint_limits`` checks those before that blueprint's
        # requests; a view's own limits are checked by its decorator.
        # ``_check_request_limit`` is Flask-Limiter's own hook, a private name:
        # tests/test_throttling.py fails if a new release renames it.
        app.before_request_funcs[None].remove(limiter._check_request_limit)


def check_blueprint_limits(app: Flask, name: str) -> None:
    """Check the limits of the blueprint ``name`` (``limiter.limit(...)(bp)``)
    before each of its requests, ahead of its own hooks, as Flask-Limiter's
    check before every request would (``init_app`` drops that check)."""
    check = limiter._check_request_limit
    if check not in app.before_request_funcs[None]:
        app.before_request_funcs.setdefault(name, []).insert(0, check)


{% include "throttling/redis_storage.py" if cookiecutter.tasks == "celery" else "throttling/sqlite_storage.py" %}


class SQLiteStorage(Storage):
    """Counters of fixed windows in a SQLite file: ``sqlite:///relative/path``
    or ``sqlite:////absolute/path``, as in SQLAlchemy.

    Every process that opens the file sees the same counters, so the limits
    hold across the workers of one machine without a server.  Each operation
    opens the file, so a worker forked from gunicorn's master never shares a
    connection.  Only the default strategy, fixed windows, is supported.
    """

    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = Path(uri.split(":///", 1)[1])
        self.ready = False

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def connect(self) -> sqlite3.Connection:
        """A connection in autocommit mode; the table is made on first use."""
        if not self.ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        if not self.ready:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS counters"
                " (key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL)"
            )
            self.ready = True
        return connection

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        connection = self.connect()
        try:
            # One writer at a time: the read and the update below see the
            # same count in every process.
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("DELETE FROM counters WHERE expires <= ?", (now,))
            connection.execute(
                "INSERT INTO counters (key, count, expires) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET count = count + excluded.count",
                (key, amount, now + expiry),
            )
            row = connection.execute(
                "SELECT count FROM counters WHERE key = ?", (key,)
            ).fetchone()
            connection.execute("COMMIT")
        finally:
            connection.close()
        return int(row[0])

    def _row(self, key: str) -> tuple[int, float] | None:
        connection = self.connect()
        try:
            row: tuple[int, float] | None = connection.execute(
                "SELECT count, expires FROM counters WHERE key = ? AND expires > ?",
                (key, time.time()),
            ).fetchone()
        finally:
            connection.close()
        return row

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def check(self) -> bool:
        try:
            self.connect().close()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        connection = self.connect()
        try:
            return connection.execute("DELETE FROM counters").rowcount
        finally:
            connection.close()

    def clear(self, key: str) -> None:
        connection = self.connect()
        try:
            connection.execute("DELETE FROM counters WHERE key = ?", (key,))
        finally:
            connection.close()
