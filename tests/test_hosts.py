"""Heroku's and Render's own build, release and start paths, rehearsed.

Each rehearsal starts from a fresh ``git clone`` of a freshly generated
project (so no ``.env`` and nothing git-ignored) and gives it only what the
host would: a clean virtual environment of the Python version the host
picks, the install command the host runs, the host's environment variables
and the settings the generated README tells the user to set.  The local
PostgreSQL, MariaDB and Redis servers play the host's add-ons.

Heroku (classic Python buildpack, then the dyno manager):

1. detection: a lock the buildpack installs from at the root, and a
   ``.python-version`` naming a Python it offers;
2. build: ``pip install -r requirements.txt`` into a clean environment of
   that Python (runtime dependencies only), then, for Django, the automatic
   ``python manage.py collectstatic --noinput`` with the config vars set;
3. the Procfile's ``release:`` command, then ``web:`` with ``PORT``,
   ``DYNO=web.1``, the buildpack's runtime variables and the config vars;
   ``/healthz`` and the home page through the headers Heroku's router adds;
   ``worker:`` (Celery) starts and reaches Redis.

Render (native Python runtime, Blueprint ``render.yaml``): for each service,
its ``buildCommand``, ``preDeployCommand`` and ``startCommand`` with the
environment built from ``envVars`` and ``envVarGroups``, plus the variables
Render sets; the web service's ``healthCheckPath`` and home page, and each
worker's start.

What cannot be rehearsed here: the real routers (TLS, HTTP/2, their
timeouts), the add-ons' own servers (TLS to Heroku Redis, managed
PostgreSQL's settings), the dyno/instance limits, and the platforms' build
caches.  Processes listen on a free port rather than Render's fixed 10000,
since tests run in parallel on one machine.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
import subprocess
import time
from pathlib import Path
from typing import Any

import combos
import deploy
import projects
import pytest
import servers
import services
import yaml
from combos import combo_id
from shell import run

from testkit import deployment, net

# What the hosts accept (Heroku's and Render's supported Python versions).
HOST_PYTHONS = ("3.10", "3.11", "3.12", "3.13", "3.14")

# The proxy's view of a request: a client on the internet, over HTTPS.
CLIENT_ADDRESS = "203.0.113.7"
# The platform's router, as the web process sees it: not 127.0.0.1, which
# gunicorn would trust by default (the real router is another machine).
ROUTER_ADDRESS = "127.0.0.2"


def host_combinations(host: str) -> list[dict[str, Any]]:
    """Every framework x database that may go to ``host`` (the generator
    refuses SQLite there), with the most code features."""
    return [
        combos.widest(framework, database, hosting=(host,), ci="none")
        for framework, database in combos.framework_databases()
        if database != "sqlite"
    ]


def python_version_file(clone: Path) -> str:
    """The major.minor version ``.python-version`` names, checked to be one
    the hosts offer."""
    path = clone / ".python-version"
    assert path.exists(), "no .python-version: the host would pick its default"
    version = path.read_text().strip()
    match = re.fullmatch(r"(3\.\d+)(\.\d+)?", version)
    assert match, f".python-version holds {version!r}, not a Python version"
    assert match.group(1) in HOST_PYTHONS, f"no host offers Python {version}"
    return match.group(1)


def run_shell(command: str, *, cwd: Path, env: dict[str, str], what: str) -> None:
    """A platform command, through bash as the platforms run it."""
    started = time.monotonic()
    result = run(["bash", "-c", command], cwd=cwd, env=env, check=False, timeout=900)
    print(f"{what}: `{command}` {time.monotonic() - started:.1f}s")
    assert result.returncode == 0, (
        f"{what} `{command}` exited {result.returncode}:\n{result.output[-6000:]}"
    )


def start_web(
    command: str, *, cwd: Path, env: dict[str, str], log: Path, ready_path: str
) -> servers.Server:
    port = int(env["PORT"])
    return servers.Server(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        port=port,
        log=log,
        ready_path=ready_path,
    )


def start_worker(command: str, *, cwd: Path, env: dict[str, str], log: Path):
    """A Celery worker or beat, ready when it says it runs."""
    return servers.Server(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        port=0,
        log=log,
        ready_output=deployment.CELERY_READY[deployment.celery_kind(command)],
    )


def check_site(server: servers.Server, host: str, health_path: str) -> None:
    """The platform's health probe (plain HTTP, the instance's own address as
    Host) and the home page as a visitor gets it through the router."""
    probe = servers.Client(
        server, {"Host": f"10.0.0.12:{server.port}"}, source=ROUTER_ADDRESS
    ).get(health_path)
    assert probe.status == 200, f"{health_path} answered {probe.status}: {probe.body}"
    visitor = servers.Client(
        server,
        {
            "Host": host,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": CLIENT_ADDRESS,
            "X-Forwarded-Port": "443",
        },
        source=ROUTER_ADDRESS,
    )
    for path in ("/healthz", "/"):
        response = visitor.get(path)
        assert response.status == 200, (
            f"{path} with Host {host} over the router's HTTPS answered"
            f" {response.status} (Location: {response.header('Location')}):"
            f"\n{response.body[:2000]}\n\nserver log:\n{server.output()}"
        )
    hsts = visitor.get("/").header("Strict-Transport-Security")
    assert hsts, "the home page over HTTPS sends no Strict-Transport-Security"
    # A visitor on plain HTTP (the routers pass it through) is sent to HTTPS.
    plain = servers.Client(
        server,
        {"Host": host, "X-Forwarded-Proto": "http", "X-Forwarded-For": CLIENT_ADDRESS},
        source=ROUTER_ADDRESS,
    ).get("/")
    location = plain.header("Location") or ""
    assert plain.status in (301, 302, 307, 308), (
        f"/ over plain HTTP answered {plain.status}, not a redirect to HTTPS"
    )
    assert location.startswith(f"https://{host}/"), (
        f"/ over plain HTTP redirects to {location!r}"
    )


# --------------------------------------------------------------------------
# Heroku


def readme_section(clone: Path, title: str) -> str:
    text = (clone / "README.md").read_text()
    match = re.search(rf"^### {re.escape(title)}\n(.*?)(?=^##|\Z)", text, re.S | re.M)
    assert match, f"README.md has no '### {title}' section"
    return match.group(1)


def readme_config_vars(clone: Path, venv: Path) -> dict[str, str]:
    """The config vars the README's Heroku section sets, evaluated as the user
    would paste them: its ``heroku config:set`` lines run in bash, with a
    ``heroku`` function that prints the arguments instead of calling Heroku
    (``$(python -c ...)`` values are computed by the project's Python)."""
    section = readme_section(clone, "Heroku")
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "README's Heroku section has no shell block"
    commands = re.sub(r"\\\n\s*", " ", block.group(1)).splitlines()
    lines = [c for c in commands if c.strip().startswith("heroku config:set")]
    assert lines, "README's Heroku section sets no config var"
    script = (
        'heroku() { if [ "$1" = config:set ]; then shift;'
        " printf '%s\\0' \"$@\"; fi; }\n" + "\n".join(lines)
    )
    env = deploy.platform_env(venv / "bin")
    out = subprocess.run(
        ["bash", "-c", script],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    config = {}
    for arg in filter(None, out.split("\0")):
        key, sep, value = arg.partition("=")
        if sep:  # flags such as --app have no '='
            config[key] = value
    return config


@pytest.mark.parametrize("answers", host_combinations("heroku"), ids=combo_id)
def test_heroku(answers, tmp_path, databases):
    clone = projects.fresh_clone(
        answers, tmp_path, projects.unique_name(answers, "heroku")
    )
    started = time.monotonic()

    # Detection: the buildpack needs one of these at the root.
    locks = [
        n
        for n in ("requirements.txt", "Pipfile.lock", "poetry.lock", "uv.lock")
        if (clone / n).exists()
    ]
    assert locks, "no lock Heroku's Python buildpack installs from: push rejected"
    assert (clone / "requirements.txt").exists(), f"the lock here is {locks}"
    version = python_version_file(clone)
    assert "Procfile" in os.listdir(clone), "no Procfile"
    processes = deployment.procfile(clone)

    # Build: the buildpack's Python (not a venv, but as clean), the lock.
    venv = projects.fresh_venv(version, clone / ".heroku/python")
    config = readme_config_vars(clone, venv)
    if combos.has_database(answers):  # the add-on sets DATABASE_URL
        config["DATABASE_URL"] = services.database_url(answers, databases, tmp_path)
    if answers["tasks"] == "celery":
        config["REDIS_URL"] = services.require("redis").url
    print("config vars from the README:", sorted(config))
    app = next(
        (h for h in config.get("ALLOWED_HOSTS", "").split(",") if h.strip()),
        f"{clone.name}.herokuapp.com",
    )
    build_env = deploy.platform_env(venv / "bin", **config)
    run_shell("pip install -r requirements.txt", cwd=clone, env=build_env, what="build")
    if (clone / "manage.py").exists():
        run_shell(
            "python manage.py collectstatic --noinput",
            cwd=clone,
            env=build_env,
            what="build (the buildpack's collectstatic)",
        )

    # The dyno's environment: the buildpack's .profile.d settings and the
    # dyno manager's variables, then the config vars.
    runtime = {
        "PYTHONUNBUFFERED": "true",
        "PYTHONHASHSEED": "random",
        "PYTHONPATH": str(clone),
        "LANG": "en_US.UTF-8",
        "FORWARDED_ALLOW_IPS": "*",
        "GUNICORN_CMD_ARGS": "--access-logfile -",
        "WEB_CONCURRENCY": "2",
        **config,
    }
    if "release" in processes:
        env = deploy.platform_env(venv / "bin", DYNO="release.1", **runtime)
        run_shell(processes["release"], cwd=clone, env=env, what="release phase")
    assert "web" in processes, "the Procfile has no web: process"
    port = net.free_port()
    env = deploy.platform_env(venv / "bin", DYNO="web.1", PORT=str(port), **runtime)
    with start_web(
        processes["web"],
        cwd=clone,
        env=env,
        log=tmp_path / "web.log",
        ready_path="/healthz",
    ) as server:
        check_site(server, app, "/healthz")
    if answers["tasks"] == "celery":
        for kind in ("worker", "beat"):
            assert kind in processes, f"Celery is on but the Procfile has no {kind}:"
            assert deployment.celery_kind(processes[kind]) == kind, processes[kind]
            env = deploy.platform_env(venv / "bin", DYNO=f"{kind}.1", **runtime)
            with start_worker(
                processes[kind], cwd=clone, env=env, log=tmp_path / f"{kind}.log"
            ):
                pass
    print(f"{combo_id(answers)}: Heroku rehearsal {time.monotonic() - started:.1f}s")


# --------------------------------------------------------------------------
# Render


def sync_false_value(key: str, answers, databases, tmp_path: Path) -> str:
    """What the user enters in the dashboard for a ``sync: false`` variable,
    as the README tells them: their own database server's URL, their mail
    provider's settings."""
    if key == "DATABASE_URL":
        return services.database_url(answers, databases, tmp_path)
    entered = {
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": "2525",
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "mail-password",
        "DEFAULT_FROM_EMAIL": "site@example.com",
        "CONTACT_EMAIL": "owner@example.com",
        "EMAIL_URL": "smtp://mailer:mail-password@127.0.0.1:2525",
        # Empty, as a user without a Sentry project leaves it: nothing is sent.
        "SENTRY_DSN": "",
    }
    assert key in entered, f"render.yaml asks the user for {key}: no value known"
    return entered[key]


class Blueprint:
    """``render.yaml`` read with PyYAML, and the resources it asks for played
    by local ones: each database a fresh local PostgreSQL database, each Key
    Value instance the local Redis."""

    def __init__(self, clone: Path, answers, databases, tmp_path: Path) -> None:
        self.data = yaml.safe_load((clone / "render.yaml").read_text())
        allowed = {"services", "databases", "envVarGroups", "previews"}
        unknown = set(self.data) - allowed
        assert not unknown, f"render.yaml: unknown top-level keys {sorted(unknown)}"
        self.answers, self.tmp_path = answers, tmp_path
        self.databases = {
            db["name"]: databases.create("postgresql")
            for db in self.data.get("databases", [])
        }
        self.keyvalue = {
            s["name"]
            for s in self.data["services"]
            if s["type"] in ("keyvalue", "redis")
        }
        self.groups = {
            g["name"]: g["envVars"] for g in self.data.get("envVarGroups", [])
        }
        self.sync_values: dict[str, str] = {}
        self.resolved: dict[str, dict[str, str]] = {}
        self.db_registry = databases
        self.readme = (clone / "README.md").read_text()

    def env_of(self, service: dict[str, Any]) -> dict[str, str]:
        """The service's variables, as Render resolves them."""
        env: dict[str, str] = {}
        for item in service.get("envVars", []):
            if "fromGroup" in item:
                assert item["fromGroup"] in self.groups, item
                for var in self.groups[item["fromGroup"]]:
                    env[var["key"]] = self.value(var)
            else:
                env[item["key"]] = self.value(item)
        self.resolved[service["name"]] = env
        return env

    def value(self, var: dict[str, Any]) -> str:
        key = var["key"]
        if "value" in var:
            return str(var["value"])
        if var.get("generateValue"):
            # Render: a random base64-encoded 256-bit value.
            return base64.b64encode(secrets.token_bytes(32)).decode()
        if "fromDatabase" in var:
            ref = var["fromDatabase"]
            assert ref["name"] in self.databases, f"{key}: no database {ref['name']}"
            assert ref["property"] == "connectionString", ref
            return self.databases[ref["name"]]
        if "fromService" in var and "envVarKey" in var["fromService"]:
            # Another service's variable: that service is set up first.
            ref = var["fromService"]
            assert ref["name"] in self.resolved, f"{key}: {ref['name']} not set up"
            return self.resolved[ref["name"]][ref["envVarKey"]]
        if "fromService" in var:
            ref = var["fromService"]
            assert ref["type"] in ("keyvalue", "redis"), ref
            assert ref["name"] in self.keyvalue, f"{key}: no service {ref['name']}"
            assert ref.get("property") == "connectionString", ref
            return services.require("redis").url
        if var.get("sync") is False:
            # The dashboard asks for it; the README must say what to enter.
            assert key in self.readme, (
                f"render.yaml asks for {key} but README.md never mentions it"
            )
            if key not in self.sync_values:  # one value for every service
                self.sync_values[key] = sync_false_value(
                    key, self.answers, self.db_registry, self.tmp_path
                )
            return self.sync_values[key]
        raise AssertionError(f"render.yaml envVar {var} is not understood")


def render_python(clone: Path, env: dict[str, str]) -> str:
    """The Python Render installs: PYTHON_VERSION if set, else
    ``.python-version``."""
    if "PYTHON_VERSION" in env:
        match = re.fullmatch(r"(3\.\d+)(\.\d+)?", env["PYTHON_VERSION"])
        assert match, f"PYTHON_VERSION={env['PYTHON_VERSION']!r}"
        assert match.group(1) in HOST_PYTHONS
        version_file = clone / ".python-version"
        if version_file.exists():
            assert version_file.read_text().strip() == env["PYTHON_VERSION"], (
                "PYTHON_VERSION in render.yaml and .python-version disagree"
            )
        return match.group(1)
    return python_version_file(clone)


@pytest.mark.parametrize("answers", host_combinations("render"), ids=combo_id)
def test_render(answers, tmp_path, databases):
    name = projects.unique_name(answers, "render")
    source = projects.fresh_clone(answers, tmp_path / "repo", name)
    blueprint = Blueprint(source, answers, databases, tmp_path)
    blueprint_services = [
        s for s in blueprint.data["services"] if s["type"] not in ("keyvalue", "redis")
    ]
    assert [s for s in blueprint_services if s["type"] == "web"], (
        "render.yaml has no web service"
    )
    started = time.monotonic()
    running: list[servers.Server] = []
    try:
        # Web first (its pre-deploy command migrates), then the workers.
        for service in sorted(blueprint_services, key=lambda s: s["type"] != "web"):
            assert service.get("runtime") == "python", service
            allowed = {
                "type",
                "name",
                "runtime",
                "plan",
                "buildCommand",
                "preDeployCommand",
                "startCommand",
                "healthCheckPath",
                "envVars",
                "autoDeploy",
            }
            unknown = set(service) - allowed
            assert not unknown, f"{service['name']}: {sorted(unknown)} not rehearsed"
            # Each service is built from its own checkout of the repository.
            clone = tmp_path / "services" / service["name"]
            clone.parent.mkdir(parents=True, exist_ok=True)
            run(["git", "clone", "--quiet", str(source), str(clone)], cwd=tmp_path)
            env = blueprint.env_of(service)
            version = render_python(clone, env)
            # Render's Python runtime: a virtual environment in the checkout.
            venv = projects.fresh_venv(version, clone / ".venv")
            port = net.free_port()
            hostname = f"{service['name']}.onrender.com"
            render_vars = {
                "RENDER": "true",
                "IS_PULL_REQUEST": "false",
                "RENDER_SERVICE_NAME": service["name"],
                "RENDER_SERVICE_TYPE": service["type"],
                "PYTHONUNBUFFERED": "true",
                **env,
            }
            if service["type"] == "web":
                render_vars["RENDER_EXTERNAL_HOSTNAME"] = hostname
                render_vars["RENDER_EXTERNAL_URL"] = f"https://{hostname}"
                render_vars["PORT"] = str(port)
            proc_env = deploy.platform_env(venv / "bin", **render_vars)
            run_shell(
                service["buildCommand"],
                cwd=clone,
                env=proc_env,
                what=f"{service['name']} build",
            )
            if service.get("preDeployCommand"):
                run_shell(
                    service["preDeployCommand"],
                    cwd=clone,
                    env=proc_env,
                    what=f"{service['name']} pre-deploy",
                )
            log = tmp_path / f"{service['name']}.log"
            if service["type"] == "web":
                health = service.get("healthCheckPath")
                assert health, "the web service has no healthCheckPath"
                server = start_web(
                    service["startCommand"],
                    cwd=clone,
                    env=proc_env,
                    log=log,
                    ready_path=health,
                )
                running.append(server.__enter__())
                check_site(server, hostname, health)
            else:
                worker = start_worker(
                    service["startCommand"], cwd=clone, env=proc_env, log=log
                )
                running.append(worker.__enter__())
        if answers["tasks"] == "celery":
            started_kinds = sorted(
                deployment.celery_kind(s["startCommand"])
                for s in blueprint_services
                if s["type"] == "worker"
            )
            # One worker and exactly one beat: two beats send every task twice.
            assert started_kinds == ["beat", "worker"], started_kinds
    finally:
        for server in reversed(running):
            server.stop()
    print(f"{combo_id(answers)}: Render rehearsal {time.monotonic() - started:.1f}s")
