"""The local PostgreSQL, MariaDB and Redis servers (settings from
``WDN_PG_URL``, ``WDN_MYSQL_URL``, ``WDN_REDIS_URL``), with one fresh database
per use and a sweep of whatever a run left behind."""

from __future__ import annotations

import contextlib
import itertools
import os
import secrets
import socket
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from shell import unavailable

from generator.catalogue import Answers


@dataclass
class Service:
    kind: str
    env_var: str
    url: str
    start_hint: str
    reachable: bool | None = None
    error: str = ""

    def describe(self) -> str:
        return (
            f"{self.kind} is not reachable at {self.url} ({self.error}); start it"
            f" ({self.start_hint}) or point {self.env_var} at a running server"
        )


SERVICES = {
    "postgresql": Service(
        "PostgreSQL",
        "WDN_PG_URL",
        os.environ.get("WDN_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        "e.g. `pg_ctlcluster 15 main start`",
    ),
    "mysql": Service(
        "MariaDB/MySQL",
        "WDN_MYSQL_URL",
        os.environ.get("WDN_MYSQL_URL", "mysql://root@127.0.0.1:3306/mysql"),
        "e.g. `service mariadb start`",
    ),
    "redis": Service(
        "Redis",
        "WDN_REDIS_URL",
        os.environ.get("WDN_REDIS_URL", "redis://127.0.0.1:6379/0"),
        "e.g. `redis-server --daemonize yes`",
    ),
}


def _pg_connect(dbname: str | None = None):
    import psycopg

    parts = urlsplit(SERVICES["postgresql"].url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname=dbname or parts.path.lstrip("/") or "postgres",
        autocommit=True,
        connect_timeout=5,
    )


def _mysql_connect():
    import pymysql

    parts = urlsplit(SERVICES["mysql"].url)
    return pymysql.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 3306,
        user=parts.username or "root",
        password=parts.password or "",
        connect_timeout=5,
        autocommit=True,
    )


def require(kind: str) -> Service:
    """The service, or skip (fail in CI) saying what to start."""
    service = SERVICES[kind]
    if service.reachable is None:
        try:
            if kind == "postgresql":
                _pg_connect().close()
            elif kind == "mysql":
                _mysql_connect().close()
            else:
                parts = urlsplit(service.url)
                with socket.create_connection(
                    (parts.hostname or "127.0.0.1", parts.port or 6379), timeout=5
                ) as sock:
                    sock.sendall(b"PING\r\n")
                    reply = sock.recv(64)
                if not reply.startswith(b"+PONG"):
                    raise OSError(f"unexpected reply {reply!r}")
            service.reachable = True
        except Exception as exc:  # any failure means: not usable
            service.reachable = False
            service.error = f"{type(exc).__name__}: {exc}".strip()
    if not service.reachable:
        unavailable(service.describe())
    return service


#: The Redis database of the projects that queue tasks with no worker to take
#: them (the attack tests): their messages would reach the workers other tests
#: start on the default database, each one logged as an unknown task.
UNWORKED_REDIS_DB = 15


def unworked_redis_url() -> str:
    """The local Redis, on the database no test's worker listens to."""
    parts = urlsplit(require("redis").url)
    return parts._replace(path=f"/{UNWORKED_REDIS_DB}").geturl()


def _server_url(kind: str, name: str) -> str:
    parts = urlsplit(SERVICES[kind].url)
    auth = parts.username or ("postgres" if kind == "postgresql" else "root")
    if parts.password:
        auth += f":{parts.password}"
    port = parts.port or (5432 if kind == "postgresql" else 3306)
    return f"{kind}://{auth}@{parts.hostname or '127.0.0.1'}:{port}/{name}"


def run_id() -> str:
    """Set once by the controller (conftest) and inherited by the workers."""
    return os.environ.setdefault("WDN_RUN_ID", secrets.token_hex(3))


@dataclass
class Databases:
    """Fresh databases for one test, dropped afterwards (with the ``test_``
    copies that Django's test runner makes of them)."""

    made: list[tuple[str, str]] = field(default_factory=list)

    def create(self, kind: str) -> str:
        """Create an empty database on the ``kind`` server; return its URL."""
        require(kind)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        name = f"wdn_{run_id()}_{worker}_{next(_DATABASE_NUMBERS)}"
        self.made.append((kind, name))
        create_database(kind, name)
        return _server_url(kind, name)

    def drop_all(self) -> None:
        for kind, name in self.made:
            drop_database(kind, name)
            drop_database(kind, f"test_{name}")
        self.made.clear()


_DATABASE_NUMBERS = itertools.count(1)


def create_database(kind: str, name: str) -> None:
    if kind == "postgresql":
        with _pg_connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        conn = _mysql_connect()
        try:
            with conn.cursor() as cur:
                cur.execute(
                    f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"
                    " COLLATE utf8mb4_unicode_ci"
                )
        finally:
            conn.close()


def drop_database(kind: str, name: str) -> None:
    if kind == "postgresql":
        with _pg_connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        conn = _mysql_connect()
        try:
            with conn.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        finally:
            conn.close()


def sweep_databases(prefix: str) -> list[str]:
    """Drop every database whose name starts with ``prefix`` or
    ``test_`` + ``prefix`` on the servers that are reachable."""
    dropped = []
    like = [prefix, f"test_{prefix}"]
    with contextlib.suppress(Exception):
        with _pg_connect() as conn:
            rows = conn.execute("SELECT datname FROM pg_database").fetchall()
        for (name,) in rows:
            if name.startswith(tuple(like)):
                drop_database("postgresql", name)
                dropped.append(name)
    with contextlib.suppress(Exception):
        conn = _mysql_connect()
        try:
            with conn.cursor() as cur:
                cur.execute("SHOW DATABASES")
                names = [row[0] for row in cur.fetchall()]
        finally:
            conn.close()
        for name in names:
            if name.startswith(tuple(like)):
                drop_database("mysql", name)
                dropped.append(name)
    return dropped


def database_url(answers: Answers, databases: Databases, workdir: Path) -> str:
    """A fresh database of the combination's kind: a new file for SQLite, a new
    database on the local server otherwise."""
    if answers["database"] == "sqlite":
        return f"sqlite:///{workdir / 'db.sqlite3'}"
    return databases.create(answers["database"])
