"""Generate projects, build their environments and run them like a user would.

The tests that prove generated projects work share these helpers:

- which answers to test, computed from the feature catalogue (never listed by
  hand) and a readable id for each;
- ``generate``: the real ``python -m generator`` command in a subprocess;
- a cache of generated projects shared by every xdist worker of one run, and a
  cache of virtual environments keyed by a project's declared dependencies and
  shared across runs (``~/.cache/webdev-new/venvs/<hash>``);
- the local PostgreSQL, MariaDB and Redis servers (settings from ``WDN_PG_URL``,
  ``WDN_MYSQL_URL``, ``WDN_REDIS_URL``), with one fresh database per use;
- starting a generated project under gunicorn and talking HTTP to it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import http.client
import itertools
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from generator.catalogue import (
    BY_KEY,
    FEATURES,
    Answers,
    code_matrix,
    complete,
    file_matrix,
    offered_values,
)

REPO = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("WDN_CACHE_DIR", "~/.cache/webdev-new")).expanduser()
ARTIFACTS = REPO / "artifacts"

# Directory names of generated projects; the dash exercises the name -> package
# derivation (demo-site -> demo_site) in every test.
PROJECT_NAMES = {"django": "demo-site", "flask": "demo-app"}

ALL_HOSTING = BY_KEY["hosting"].choices

# Environment variables of this process that must not leak into a generated
# project's commands (they would change what the project's code or tools do).
_LEAKY = (
    "VIRTUAL_ENV",
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONSTARTUP",
    "DJANGO_SETTINGS_MODULE",
    "FLASK_APP",
    "FLASK_DEBUG",
    "FLASK_ENV",
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "TEST_DATABASE_URL",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "REDIS_URL",
    "ADMIN_URL",
    "PORT",
    "WEB_CONCURRENCY",
)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def unavailable(message: str) -> None:
    """Skip on a laptop, fail in CI: nothing that needs a service skips there."""
    if in_ci():
        pytest.fail(f"{message} (CI=true: a missing service is a failure)")
    pytest.skip(message)


# --------------------------------------------------------------------------
# Which answers to test


def combo_id(answers: Answers) -> str:
    """A short readable id: ``flask-postgresql-auth-admin-i18n-celery``."""
    parts = [answers["framework"], answers["database"]]
    for key in ("auth", "admin", "i18n"):
        parts.append(key if answers[key] else f"no{key}")
    parts.append(answers["tasks"])
    if tuple(answers["hosting"]) != ALL_HOSTING:
        parts.append("+".join(answers["hosting"]) or "nohosting")
    parts.append(f"ci-{answers['ci']}")
    return "-".join(parts)


def code_combinations(framework: str) -> list[Answers]:
    """Every combination of the code-changing options, with every hosting target
    its database allows chosen, so each combination's deployment files are
    checked too."""
    hosting = BY_KEY["hosting"]
    return [
        {**a, "hosting": offered_values(hosting, a)} for a in code_matrix(framework)
    ]


def file_combinations(framework: str) -> list[Answers]:
    return list(file_matrix(framework))


def default_answers(framework: str, **overrides: Any) -> Answers:
    """The defaults a user gets (every project has a Procfile), with ``overrides``."""
    given = {"framework": framework, **overrides}
    return complete(given)


def widest(framework: str, database: str, **files: Any) -> Answers:
    """The valid combination of ``framework`` and ``database`` with the most
    code features on (celery, i18n, auth, admin), with the file-only answers
    ``files``: its CI file has the most services and its host the most
    processes, and its own tests exercise the most code."""
    candidates = [a for a in code_matrix(framework) if a["database"] == database]
    best = max(
        candidates,
        key=lambda a: (
            sum(bool(a[k]) for k in ("auth", "admin", "i18n")) + (a["tasks"] != "none")
        ),
    )
    return complete({**best, **files})


def framework_databases() -> list[tuple[str, str]]:
    """Every framework x database pair the catalogue allows."""
    return [
        (framework, database)
        for framework in BY_KEY["framework"].choices
        for database in BY_KEY["database"].values_for(framework)
    ]


# --------------------------------------------------------------------------
# Running commands


@dataclass
class Result:
    args: list[str]
    returncode: int
    output: str


def run(
    args: list[str],
    *,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
    check: bool = True,
) -> Result:
    """Run a command, output and errors together; on failure (with ``check``)
    raise an AssertionError that shows the command and the end of its output."""
    try:
        proc = subprocess.run(
            args,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.output or ""
        if isinstance(out, bytes):
            out = out.decode(errors="replace")
        raise AssertionError(
            f"`{shlex.join(args)}` in {cwd} timed out after {timeout}s\n{out[-4000:]}"
        ) from None
    result = Result(list(args), proc.returncode, proc.stdout)
    if check and proc.returncode != 0:
        raise AssertionError(
            f"`{shlex.join(args)}` in {cwd} exited {proc.returncode}:\n"
            f"{proc.stdout[-6000:]}"
        )
    return result


def run_at_terminal(
    args: list[str], *, cwd: Path, env: Mapping[str, str], timeout: float = 300
) -> Result:
    """Run a command as a person types it: on a pseudo-terminal (some
    development conveniences happen only there); fail like ``run``."""
    import pexpect

    output, status = pexpect.run(
        shlex.join(args),
        cwd=str(cwd),
        env=dict(env),
        timeout=timeout,
        withexitstatus=True,
        encoding="utf-8",
    )
    result = Result(list(args), status, output)
    if status != 0:
        raise AssertionError(
            f"`{shlex.join(args)}` at a terminal in {cwd} exited {status}:\n"
            f"{output[-4000:]}"
        )
    return result


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock shared by processes (xdist workers, parallel runs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --------------------------------------------------------------------------
# Generating


def cli_args(answers: Answers) -> list[str]:
    """The ``webdev-new`` flags that give exactly ``answers``."""
    args = []
    for feature in FEATURES:
        value = answers[feature.key]
        if feature.kind == "bool":
            args.append(f"--{feature.key}" if value else f"--no-{feature.key}")
        elif feature.kind == "multi":
            args += [f"--{feature.key}", ",".join(value)]
        else:
            args += [f"--{feature.key}", str(value)]
    return args


def generate(
    answers: Answers, parent: Path, *, name: str | None = None, git: bool = False
) -> Path:
    """Generate a project with the real command line; return its directory."""
    name = name or PROJECT_NAMES[answers["framework"]]
    parent.mkdir(parents=True, exist_ok=True)
    args = [sys.executable, "-m", "generator", name, "--yes", "-o", str(parent)]
    if not git:
        args.append("--no-git")
    env = clean_env()
    # Keep git's identity out of the user's configuration.
    env.setdefault("GIT_AUTHOR_NAME", "Test")
    env.setdefault("GIT_AUTHOR_EMAIL", "test@example.com")
    env.setdefault("GIT_COMMITTER_NAME", "Test")
    env.setdefault("GIT_COMMITTER_EMAIL", "test@example.com")
    env["PYTHONPATH"] = str(REPO)
    run([*args, *cli_args(answers)], cwd=parent, env=env, timeout=120)
    project = parent / name
    assert project.is_dir(), f"the generator printed success but wrote no {project}"
    return project


class ProjectStore:
    """Generated projects shared by every worker of one test run.

    A project is generated once per set of answers (under a lock, so two
    workers never generate the same one twice) and never modified: a test that
    writes (migrations, collectstatic, a SQLite file) works on ``copy()``.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def get(self, answers: Answers, *, variant: str = "") -> Path:
        key = combo_id(answers) + (f"-{variant}" if variant else "")
        slot = self.root / key
        done = slot / ".generated"
        with file_lock(self.root / f"{key}.lock"):
            if not done.exists():
                if slot.exists():
                    shutil.rmtree(slot)
                generate(answers, slot)
                done.write_text(json.dumps(answers, default=list))
        return slot / PROJECT_NAMES[answers["framework"]]

    @staticmethod
    def copy(project: Path, dest: Path) -> Path:
        target = dest / project.name
        shutil.copytree(project, target, symlinks=True)
        return target


def package_dir(project: Path) -> Path:
    slug = re.sub(r"[-. ]", "_", project.name.lower())
    return project / slug


def read_secret_key(project: Path) -> str:
    for line in (project / ".env").read_text().splitlines():
        if line.startswith("SECRET_KEY="):
            return line.partition("=")[2].strip().strip("'\"")
    raise AssertionError(f"{project}/.env has no SECRET_KEY line")


# --------------------------------------------------------------------------
# Virtual environments, cached by dependency set


LOCKS = ("requirements.txt", "requirements-dev.txt")


def locked_requirements(project: Path) -> str:
    """The project's locks (runtime and dev) as one text: what its CI, its
    image and its hosts install, and so what its environment holds."""
    return "".join((project / name).read_text() for name in LOCKS)


def venv_for(project: Path) -> Path:
    """A virtual environment holding exactly the project's locked dependencies
    and dev tools (but not the project itself), reused by every project with
    the same locks."""
    version = ".".join(map(str, sys.version_info[:2]))
    digest = hashlib.sha256(
        json.dumps([version, sys.executable, locked_requirements(project)]).encode()
    ).hexdigest()[:16]
    venv = CACHE / "venvs" / digest
    ready = venv / ".ready"
    with file_lock(CACHE / "venvs" / f"{digest}.lock"):
        complete = (venv / "pyvenv.cfg").exists() and (venv / "bin/python").exists()
        if ready.exists() and complete:
            return venv
        if venv.exists():
            shutil.rmtree(venv)
        env = clean_env()
        env["UV_PYTHON_DOWNLOADS"] = "never"
        uv = [sys.executable, "-m", "uv"]
        run(
            [*uv, "venv", "--quiet", "--python", sys.executable, str(venv)],
            cwd=project,
            env=env,
        )
        # Hash-checking mode: every package, dependencies included, must be in
        # the lock with its hash, so an incomplete lock fails here.  Bytecode
        # is compiled once, here: commands that use the environment never
        # write any (PYTHONDONTWRITEBYTECODE), so it stays as built.
        run(
            [
                *uv,
                "pip",
                "install",
                "--quiet",
                "--require-hashes",
                "--compile-bytecode",
                "--python",
                str(venv / "bin/python"),
                "-r",
                "requirements-dev.txt",
            ],
            cwd=project,
            env=env,
            timeout=900,
        )
        (venv / "requirements.txt").write_text(locked_requirements(project))
        ready.write_text("ok\n")
    return venv


def pyenv_python(version: str) -> Path:
    """pyenv's newest interpreter of ``version`` (``3.12`` or ``3.12.1``), else
    ``python3.12`` from PATH: the Python a CI image or a host would give for
    that version."""
    answer = subprocess.run(
        ["pyenv", "root"], capture_output=True, text=True, check=False
    ).stdout.strip()
    root = Path(answer) if answer else Path("~/.pyenv").expanduser()
    pattern = re.compile(rf"{re.escape(version)}(\.\d+)?")
    found = sorted(
        (
            p
            for p in (root / "versions").glob(f"{version}*")
            if pattern.fullmatch(p.name) and (p / "bin/python3").exists()
        ),
        key=lambda p: [int(x) for x in p.name.split(".")],
    )
    if found:
        return found[-1] / "bin/python3"
    on_path = shutil.which(f"python{version}")
    if on_path and re.fullmatch(r"3\.\d+", version):
        return Path(on_path)
    unavailable(
        f"Python {version} is neither under {root}/versions nor on PATH"
        f" (pyenv install {version})"
    )
    raise AssertionError("unreachable")  # unavailable() skips or fails


def fresh_venv(version: str, where: Path) -> Path:
    """A new virtual environment of Python ``version`` at ``where``, holding
    only pip (as setup-python, a python image or a host's build gives).

    uv makes it (``--seed`` adds the current pip): ``python -m venv`` runs
    ensurepip, which byte-compiles pip and takes half a minute on a busy
    machine.
    """
    where.parent.mkdir(parents=True, exist_ok=True)
    env = clean_env(UV_PYTHON_DOWNLOADS="never")
    args = ["venv", "--quiet", "--seed", "--python", str(pyenv_python(version))]
    run([sys.executable, "-m", "uv", *args, str(where)], cwd=where.parent, env=env)
    return where


def fresh_clone(answers: Answers, workdir: Path, name: str) -> Path:
    """Generate the project as a git repository and ``git clone`` it: the
    clone holds exactly what a push would (no ``.env``, nothing ignored)."""
    source = generate(answers, workdir / "generated", name=name, git=True)
    clone = workdir / "clone" / source.name
    clone.parent.mkdir(parents=True)
    run(["git", "clone", "--quiet", str(source), str(clone)], cwd=clone.parent)
    assert not (clone / ".env").exists(), ".env is tracked by git"
    return clone


def unique_name(answers: Answers, purpose: str) -> str:
    """A project name unique to this run, combination and purpose. Generated
    files name databases after the project, so parallel tests never share
    one, and the run's final sweep (``wdn_<run id>_``) finds any left."""
    short = {"postgresql": "pg", "mysql": "my", "sqlite": "lite", "none": "nodb"}
    return "-".join(
        ["wdn", run_id(), purpose, answers["framework"], short[answers["database"]]]
    )


def clean_env(venv: Path | None = None, **extra: str) -> dict[str, str]:
    """This process's environment minus what would leak into a project, with
    ``venv``'s tools first on PATH, plus ``extra``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in _LEAKY and not k.startswith(("PYTEST_", "COV_CORE_"))
    }
    if venv is not None:
        env["VIRTUAL_ENV"] = str(venv)
        env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


def platform_env(bin_dir: Path, **variables: str) -> dict[str, str]:
    """The environment of a CI runner or a host's process: this machine's
    basics (PATH, HOME, pip's certificate and index settings) minus anything
    of a project's or of this test run, ``bin_dir`` (the Python the platform
    provides) first on PATH, then ``variables``.  Bytecode is written as
    usual, unlike in ``clean_env``: nothing here is shared."""
    env = clean_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env.update(variables)
    return env


def new_secret_key() -> str:
    return secrets.token_urlsafe(45)  # 60 characters


def production_env(
    framework: str, venv: Path, database_url: str | None, **extra: str
) -> dict[str, str]:
    """A production environment as the generated README describes it."""
    settings = {"SECRET_KEY": new_secret_key(), "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    if framework == "django":
        settings.update(DEBUG="false")
    else:
        # Behind one proxy, as on every host: X-Forwarded-Proto is believed.
        settings.update(FLASK_DEBUG="0", FORWARDED_PROXIES="1")
    if database_url:
        settings["DATABASE_URL"] = database_url
    settings.update(extra)
    return clean_env(venv, **settings)


def production_copy(project: Path, dest: Path) -> Path:
    """A copy as a server would hold it: no local ``.env`` (it is git- and
    docker-ignored, so a deployment never has it)."""
    copy = ProjectStore.copy(project, dest)
    (copy / ".env").unlink(missing_ok=True)
    return copy


# --------------------------------------------------------------------------
# Database servers


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


# --------------------------------------------------------------------------
# Starting servers


# --------------------------------------------------------------------------
# wrk

# Counts every answer outside 2xx (wrk itself only counts 4xx and 5xx).
WRK_COUNT_NON_2XX = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("non2xx") end
  io.write(string.format("non-2xx answers: %d\\n", total))
end
"""


def parse_wrk(output: str) -> dict[str, int]:
    """The counts wrk printed: requests, socket errors, non-2xx answers."""
    requests = re.search(r"(\d+) requests in", output)
    assert requests, f"no request count in wrk's output:\n{output}"
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    counted = re.search(r"non-2xx answers: (\d+)", output)
    assert counted, f"the counting script did not report:\n{output}"
    http_errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests": int(requests.group(1)),
        "socket_errors": sum(map(int, socket.groups())) if socket else 0,
        "non_2xx": max(
            int(counted.group(1)), int(http_errors.group(1)) if http_errors else 0
        ),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def procfile(project: Path) -> dict[str, str]:
    """The process types of the project's Procfile."""
    processes = {}
    for line in (project / "Procfile").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, sep, command = line.partition(":")
            assert sep, f"Procfile line without a colon: {line!r}"
            processes[name.strip()] = command.strip()
    return processes


# gunicorn options that take a value (so the value is not the app).
_GUNICORN_VALUED = {
    "-b",
    "--bind",
    "-w",
    "--workers",
    "-k",
    "--worker-class",
    "-c",
    "--config",
    "-t",
    "--timeout",
    "--log-level",
    "--access-logfile",
    "--error-logfile",
    "--log-file",
    "--chdir",
    "--threads",
    "--max-requests",
    "--max-requests-jitter",
    "--graceful-timeout",
    "--keep-alive",
    "-n",
    "--name",
    "--forwarded-allow-ips",
    "--log-config",
    "-e",
    "--env",
    "--pythonpath",
    "--worker-tmp-dir",
    "--access-logformat",
    "-p",
    "--pid",
    "-u",
    "-g",
}


def wsgi_target(project: Path) -> str:
    """The WSGI application the project's own web process serves (read from
    its Procfile ``web:`` line, else from the Dockerfile's CMD)."""
    commands = []
    if (project / "Procfile").exists():
        commands.append(procfile(project).get("web", ""))
    if (project / "Dockerfile").exists():
        commands.append(" ".join(dockerfile_cmd(project)))
    for command in commands:
        words = shlex.split(command)
        if "gunicorn" not in [Path(w).name for w in words]:
            continue
        words = words[[Path(w).name for w in words].index("gunicorn") + 1 :]
        skip = False
        for word in words:
            if skip:
                skip = False
            elif word in _GUNICORN_VALUED:
                skip = True
            elif not word.startswith("-"):
                return word
    # No deployment file names it: the frameworks' usual entry points.
    if (package_dir(project) / "wsgi.py").exists():
        return f"{package_dir(project).name}.wsgi:application"
    if (project / "wsgi.py").exists():
        return "wsgi:app"
    raise AssertionError(f"no gunicorn application found in {project}'s web process")


def dockerfile_instructions(project: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined."""
    text = (project / "Dockerfile").read_text()
    text = re.sub(r"\\\n", " ", text)
    steps = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        steps.append((word.upper(), rest.strip()))
    return steps


def dockerfile_cmd(project: Path) -> list[str]:
    """The final stage's CMD as an argument list (exec or shell form)."""
    cmd: list[str] = []
    for word, rest in dockerfile_instructions(project):
        if word == "FROM":
            cmd = []
        elif word == "CMD":
            shell = ["/bin/sh", "-c", rest]
            cmd = json.loads(rest) if rest.startswith("[") else shell
    return cmd


@dataclass
class TLS:
    cert: Path
    key: Path

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))


def make_certificate(directory: Path) -> TLS:
    """A self-signed certificate for 127.0.0.1 and localhost."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / "cert.pem", directory / "key.pem"
    if not cert.exists():
        run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                str(key),
                "-out",
                str(cert),
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
            ],
            cwd=directory,
        )
    return TLS(cert, key)


class Server:
    """A process serving HTTP on 127.0.0.1:``port``; stopped (its whole process
    group) on exit. Its output goes to ``log``."""

    def __init__(
        self,
        args: list[str],
        *,
        cwd: Path,
        env: Mapping[str, str],
        port: int,
        log: Path,
        tls: TLS | None = None,
        ready_path: str = "/healthz",
        ready_output: str | None = None,
    ) -> None:
        self.args, self.cwd, self.env, self.port = args, cwd, dict(env), port
        self.log, self.tls, self.ready_path = log, tls, ready_path
        # A regular expression: wait for it in the output instead of for HTTP.
        self.ready_output = ready_output
        self.proc: subprocess.Popen[bytes] | None = None
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://127.0.0.1:{port}"

    def __enter__(self) -> Server:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._log_handle = open(self.log, "wb")
        self.proc = subprocess.Popen(
            self.args,
            cwd=self.cwd,
            env=self.env,
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]

    def client(self, **headers: str) -> Client:
        return Client(self, headers)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"`{shlex.join(self.args)}` exited {self.proc.returncode}"
                    f" before answering:\n{self.output()}"
                )
            if self.ready_output:
                if re.search(self.ready_output, self.output()):
                    return
                last = f"no {self.ready_output!r} in its output yet"
            else:
                try:
                    response = self.client().get(self.ready_path)
                    if response.status == 200:
                        return
                    last = f"{self.ready_path} answered {response.status}"
                except OSError as exc:
                    last = str(exc)
            time.sleep(0.2)
        raise AssertionError(
            f"`{shlex.join(self.args)}` was not ready within {timeout}s ({last}):"
            f"\n{self.output()}"
        )

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        if getattr(self, "_log_handle", None):
            self._log_handle.close()


def gunicorn(
    project: Path,
    venv: Path,
    env: Mapping[str, str],
    log: Path,
    *,
    workers: int = 2,
    tls: TLS | None = None,
) -> Server:
    """The project's WSGI app under gunicorn on 127.0.0.1 only."""
    port = free_port()
    args = [
        str(venv / "bin/gunicorn"),
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "30",
    ]
    if tls:
        args += ["--certfile", str(tls.cert), "--keyfile", str(tls.key)]
    args.append(wsgi_target(project))
    return Server(args, cwd=project, env=env, port=port, log=log, tls=tls)


# --------------------------------------------------------------------------
# A small HTTP client that keeps cookies (Secure ones too) and never follows
# redirects, so a test sees every Location header.


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    def cookies(self) -> list[str]:
        return self.headers.get_all("Set-Cookie") or []


class Client:
    def __init__(
        self,
        server: Server,
        headers: Mapping[str, str] | None = None,
        *,
        source: str | None = None,
    ):
        self.server = server
        self.base_headers = dict(headers or {})
        self.jar: dict[str, str] = {}
        #: The local address to connect from. Another loopback address than
        #: 127.0.0.1 plays a platform's proxy on another machine: gunicorn
        #: trusts forwarded headers only from 127.0.0.1 unless told otherwise.
        self.source = (source, 0) if source else None

    def _connection(self) -> http.client.HTTPConnection:
        if self.server.tls:
            return http.client.HTTPSConnection(
                "127.0.0.1",
                self.server.port,
                timeout=30,
                context=self.server.tls.client_context(),
                source_address=self.source,
            )
        return http.client.HTTPConnection(
            "127.0.0.1", self.server.port, timeout=30, source_address=self.source
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        all_headers = {**self.base_headers, **(headers or {})}
        if self.jar:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        body = None
        if form is not None:
            body = urlencode(form)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = self._connection()
        try:
            conn.request(method, path, body=body, headers=all_headers)
            raw = conn.getresponse()
            response = Response(
                raw.status, raw.headers, raw.read().decode("utf-8", "replace")
            )
        finally:
            conn.close()
        for cookie in response.cookies():
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""') or "max-age=0" in cookie.lower():
                self.jar.pop(name.strip(), None)
            else:
                self.jar[name.strip()] = value
        return response

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, form: Mapping[str, str], **kwargs: Any) -> Response:
        return self.request("POST", path, form=form, **kwargs)


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page (Django or Flask-WTF)."""
    for name in ("csrfmiddlewaretoken", "csrf_token"):
        for tag in re.findall(r"<input[^>]*>", html):
            if f'name="{name}"' in tag:
                match = re.search(r'value="([^"]*)"', tag)
                if match:
                    return match.group(1)
    raise AssertionError(f"no CSRF token field in the page:\n{html[:2000]}")


CSRF_FIELD = {"django": "csrfmiddlewaretoken", "flask": "csrf_token"}


# --------------------------------------------------------------------------
# What each framework's generated project offers (the template contract)


@dataclass(frozen=True)
class Contract:
    signup: str
    signup_fields: tuple[str, str, str]  # email, password, confirmation
    login: str
    login_fields: tuple[str, str]  # email, password
    admin: str
    admin_users: str

    @staticmethod
    def of(framework: str) -> Contract:
        return CONTRACTS[framework]


CONTRACTS = {
    "django": Contract(
        signup="/accounts/signup/",
        signup_fields=("email", "password1", "password2"),
        login="/accounts/login/",
        login_fields=("username", "password"),
        admin="/admin/",
        admin_users="/admin/accounts/user/",
    ),
    "flask": Contract(
        signup="/auth/signup",
        signup_fields=("email", "password", "confirm"),
        login="/auth/login",
        login_fields=("email", "password"),
        admin="/admin/",
        admin_users="/admin/user/",
    ),
}


def has_database(answers: Answers) -> bool:
    return answers["database"] != "none"


def database_url(answers: Answers, databases: Databases, workdir: Path) -> str:
    """A fresh database of the combination's kind: a new file for SQLite, a new
    database on the local server otherwise."""
    if answers["database"] == "sqlite":
        return f"sqlite:///{workdir / 'db.sqlite3'}"
    return databases.create(answers["database"])


def prepare_production(answers: Answers, project: Path, env: Mapping[str, str]) -> None:
    """What a deployment runs before serving: the Procfile's release step (or
    its equivalent) and, for Django, collectstatic."""
    if answers["framework"] == "django":
        python = ["python", "manage.py"]
        run([*python, "migrate", "--noinput"], cwd=project, env=env)
        run([*python, "collectstatic", "--noinput"], cwd=project, env=env)
    elif has_database(answers):
        run(["flask", "db", "upgrade"], cwd=project, env=env)


def create_admin(
    answers: Answers, project: Path, env: Mapping[str, str], email: str, password: str
) -> None:
    if answers["framework"] == "django":
        admin_env = {
            **env,
            "DJANGO_SUPERUSER_EMAIL": email,
            "DJANGO_SUPERUSER_PASSWORD": password,
        }
        run(
            ["python", "manage.py", "createsuperuser", "--noinput"],
            cwd=project,
            env=admin_env,
        )
    else:
        run(
            ["flask", "create-admin", "--email", email, "--password", password],
            cwd=project,
            env=env,
        )


@dataclass
class Deployed:
    """A generated project running in production mode."""

    answers: Answers
    project: Path
    venv: Path
    env: dict[str, str]
    server: Server

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def contract(self) -> Contract:
        return Contract.of(self.answers["framework"])


@contextlib.contextmanager
def production_server(
    answers: Answers,
    store: ProjectStore,
    workdir: Path,
    *,
    database_url: str,
    tls: TLS | None = None,
    workers: int = 2,
) -> Iterator[Deployed]:
    """Generate (or reuse) the project, prepare it as a deployment would
    (release step, collectstatic) and serve it with gunicorn on 127.0.0.1."""
    project = production_copy(store.get(answers), workdir)
    venv = venv_for(project)
    env = production_env(answers["framework"], venv, database_url)
    prepare_production(answers, project, env)
    log = workdir / "gunicorn.log"
    with gunicorn(project, venv, env, log, workers=workers, tls=tls) as server:
        yield Deployed(answers, project, venv, env, server)


def axe_violations(page, source: str) -> list[str]:
    """axe-core's findings on a Playwright page, one "rule: elements" line each."""
    # Evaluated through the browser's debugging protocol: the page's own
    # Content-Security-Policy (script-src 'self') stays in force.
    page.evaluate(source)
    return page.evaluate(
        """async () => {
            const result = await axe.run(document);
            return result.violations.map(
                (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
        }"""
    )
