"""Docker, Compose and Fly, proven by building and running the real images.

Each generated Dockerfile is built unchanged by podman (``containers.build``)
from a fresh ``git clone`` of a freshly generated project, so nothing that git
ignores (``.env``) reaches the image, and the image runs as its own non-root
user with only what a host gives it:

- docker: the production environment (``SECRET_KEY``, ``DATABASE_URL`` of a
  fresh database on the local server, ``ALLOWED_HOSTS``, ``PORT``) on the
  host's network; the migrate command in a container of its own first, then
  the image's CMD answers ``/healthz``, ``/readyz`` and the home page behind
  a proxy's headers, and the image's HEALTHCHECK passes (``podman healthcheck
  run``; it must follow ``$PORT``);
- fly: ``fly.toml``'s ``[env]``, ``FLY_APP_NAME`` and the secrets, in a
  network of its own with ``internal_port`` published; ``[deploy]
  release_command``, then ``[processes] app``, then the ``http_service``
  check path and the home page for ``<app>.fly.dev``;
- compose: ``compose.yaml``'s application services (migrate, web, worker)
  with their commands, environment and volumes, each in a network of its own
  where the ``db`` and ``redis`` service names lead to the local servers (the
  database and Redis images cannot be pulled here), then every service's
  healthcheck inside its container; a Celery worker answers ``celery inspect
  ping``.

Which combinations: per framework and database, the one with the most
features on (the widest image), and one more wherever a code combination
renders a Dockerfile none of those has.
"""

from __future__ import annotations

import re
import shlex
import shutil
import tomllib
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import combos
import containers
import deploy
import projects
import pytest
import services
import shell
import yaml
from combos import combo_id

from generator.catalogue import Answers, complete
from testkit import deployment, net

FRAMEWORKS = ("django", "flask")
#: The host name a proxy forwards for (in ALLOWED_HOSTS).
PUBLIC_HOST = "www.example.com"
#: Where a container in a network of its own reaches this machine's loopback.
HOST_LOOPBACK = "10.0.2.2"
OWN_NETWORK = "slirp4netns:allow_host_loopback=true"


def container_targets(database: str) -> tuple[str, ...]:
    """docker always; fly too where the generator accepts it (not SQLite)."""
    return ("docker",) if database == "sqlite" else ("docker", "fly")


WIDEST = [
    combos.widest(framework, database, hosting=container_targets(database), ci="none")
    for framework, database in combos.framework_databases()
]
FLY = [answers for answers in WIDEST if "fly" in answers["hosting"]]


@pytest.fixture(scope="session")
def podman() -> str:
    return containers.require_podman()


class Clones:
    """Fresh clones of freshly generated projects, one per set of answers,
    shared by the workers of a run (so the image of one is built once)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def get(self, answers: Answers) -> Path:
        key = combo_id(answers)
        slot = self.root / key
        clone = slot / "clone" / projects.PROJECT_NAMES[answers["framework"]]
        with shell.file_lock(self.root / f"{key}.lock"):
            if not (slot / ".done").exists():
                shutil.rmtree(slot, ignore_errors=True)
                name = projects.PROJECT_NAMES[answers["framework"]]
                projects.fresh_clone(answers, slot, name)
                (slot / ".done").write_text("ok\n")
        return clone


@pytest.fixture(scope="session")
def clones(shared_dir: Path) -> Clones:
    return Clones(shared_dir / "clones")


def compose_file(project: Path) -> dict:
    return yaml.safe_load((project / "compose.yaml").read_text())


def app_services(project: Path) -> dict[str, dict]:
    """compose.yaml's services built from the project (not pulled images)."""
    compose_services = compose_file(project)["services"]
    return {name: s for name, s in compose_services.items() if "build" in s}


def release_command(project: Path) -> list[str] | None:
    """The step a Docker deployment runs before serving: compose's migrate."""
    migrate = app_services(project).get("migrate")
    return migrate["command"] if migrate else None


def data_directory(project: Path) -> str | None:
    """Where the image keeps its SQLite database: compose's volume for it."""
    for service in app_services(project).values():
        for mount in service.get("volumes", []):
            return mount.split(":")[1]
    return None


def check_non_root(container: containers.Container, image: str) -> None:
    user = containers.image_config(image).get("User", "")
    assert user and user.split(":")[0] not in ("root", "0"), f"USER is {user!r}"
    uid = container.exec("python", "-c", "import os; print(os.getuid())").output
    assert uid.strip() != "0", "the process runs as root"


def check_site(port: int, *, host: str, https: bool = True) -> None:
    """/healthz and /readyz as a platform probe asks (plain HTTP, the
    container's address), the home page as a visitor gets it through the
    proxy."""
    probe = containers.client(port)
    health = probe.get("/healthz")
    assert health.status == 200, f"/healthz answered {health.status}: {health.body}"
    ready = probe.get("/readyz")
    assert ready.status == 200, f"/readyz answered {ready.status}: {ready.body}"
    headers = {"Host": host}
    if https:
        headers["X-Forwarded-Proto"] = "https"
    home = containers.client(port, **headers).get("/")
    assert home.status == 200, f"/ for {host} answered {home.status}: {home.body[:800]}"


def database_for(answers: Answers, databases: services.Databases) -> str | None:
    if answers["database"] in ("postgresql", "mysql"):
        return databases.create(answers["database"])
    return None


# --------------------------------------------------------------------------
# docker run


@pytest.mark.parametrize("answers", WIDEST, ids=combo_id)
def test_docker_image(answers, podman, clones, databases):
    """The image built from the Dockerfile migrates, serves and passes its own
    HEALTHCHECK as a non-root user, with only the production environment."""
    project = clones.get(answers)
    image = containers.build(project).name
    port = net.free_port()
    env = {
        "SECRET_KEY": deploy.new_secret_key(),
        "ALLOWED_HOSTS": PUBLIC_HOST,
        "PORT": str(port),
    }
    if answers["framework"] == "flask":
        # The README: behind a proxy that terminates TLS, trust its headers.
        env["FORWARDED_PROXIES"] = "1"
    url = database_for(answers, databases)
    if url:
        env["DATABASE_URL"] = url
    if answers["tasks"] == "celery":
        env["REDIS_URL"] = services.require("redis").url
    with containers.volume() as data:
        mounts = []
        if answers["database"] == "sqlite":
            # The image's own DATABASE_URL points into this directory.
            directory = data_directory(project)
            assert directory, "compose.yaml mounts no volume for the SQLite file"
            mounts = ["-v", f"{data}:{directory}"]
        release = release_command(project)
        if combos.has_database(answers):
            assert release, "compose.yaml has no migrate service"
            containers.run_once(image, release, env, extra=mounts)
        with containers.Container(image, env, extra=mounts) as container:
            container.wait_http(port)
            check_non_root(container, image)
            check_site(port, host=PUBLIC_HOST)
            assert containers.image_healthcheck(image), "the image has no HEALTHCHECK"
            health = containers.podman(
                "healthcheck", "run", container.name, check=False
            )
            assert health.returncode == 0, (
                f"HEALTHCHECK failed (exit {health.returncode}) with PORT={port}:"
                f"\n{health.output}\n{container.logs()}"
            )


# --------------------------------------------------------------------------
# Every distinct Dockerfile


def dockerfile_text(project: Path) -> str:
    return (project / "Dockerfile").read_text()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_distinct_dockerfile_builds(framework, podman, store, clones, databases):
    """Every Dockerfile text the code matrix renders is built and started at
    least once: those of the widest combinations by test_docker_image, any
    other here (its image migrates and answers /readyz as a non-root user)."""
    groups: dict[str, list[Answers]] = {}
    for answers in combos.code_combinations(framework):
        text = dockerfile_text(store.get(answers))
        groups.setdefault(text, []).append(answers)
    covered = {
        dockerfile_text(clones.get(a)) for a in WIDEST if a["framework"] == framework
    }
    extra = [members[0] for text, members in groups.items() if text not in covered]
    print(f"{len(groups)} distinct Dockerfiles, {len(extra)} not in the widest ones")
    for member in extra:
        answers = complete({**member, "hosting": ("docker",), "ci": "none"})
        project = clones.get(answers)
        image = containers.build(project).name
        port = net.free_port()
        env = {"SECRET_KEY": deploy.new_secret_key(), "PORT": str(port)}
        url = database_for(answers, databases)
        if url:
            env["DATABASE_URL"] = url
        with containers.volume() as data:
            directory = data_directory(project)
            mounts = ["-v", f"{data}:{directory}"] if directory else []
            release = release_command(project)
            if release:
                containers.run_once(image, release, env, extra=mounts)
            with containers.Container(image, env, extra=mounts) as container:
                container.wait_http(port, "/readyz")
                check_non_root(container, image)


# --------------------------------------------------------------------------
# Fly.io


@pytest.mark.parametrize("answers", FLY, ids=combo_id)
def test_fly_machine(answers, podman, clones, databases):
    """fly.toml's release command, app process and health check, run in the
    image its [build] names, with Fly's environment."""
    project = clones.get(answers)
    fly = tomllib.loads((project / "fly.toml").read_text())
    assert fly["build"]["dockerfile"] == "Dockerfile"
    image = containers.build(project).name
    service = fly["http_service"]
    internal = service["internal_port"]
    app = fly["app"]
    # Fly's own variables, fly.toml's [env], then the secrets the README sets.
    env = {"FLY_APP_NAME": app, "PORT": str(internal), **fly.get("env", {})}
    env["PORT"] = str(internal)
    env["SECRET_KEY"] = deploy.new_secret_key()
    url = database_for(answers, databases)
    if url:
        env["DATABASE_URL"] = on_host_loopback(url)
    if answers["tasks"] == "celery":
        env["REDIS_URL"] = on_host_loopback(services.require("redis").url)
    release = fly.get("deploy", {}).get("release_command")
    if combos.has_database(answers):
        assert release, "fly.toml has no [deploy] release_command"
        containers.run_once(image, shlex.split(release), env, network=OWN_NETWORK)
    else:
        assert not release, f"a release command without a database: {release!r}"
    process = fly.get("processes", {}).get("app")
    command = shlex.split(process) if process else []
    published = net.free_port()
    with containers.Container(
        image,
        env,
        command=command,
        network=OWN_NETWORK,
        extra=["-p", f"127.0.0.1:{published}:{internal}"],
    ) as container:
        checks = service.get("checks", [])
        assert checks, "fly.toml's http_service has no checks"
        for check in checks:
            container.wait_http(published, check["path"])
        check_non_root(container, image)
        check_site(published, host=f"{app}.fly.dev")
    # The other processes (Celery's worker and beat) on machines of their own.
    others = {k: v for k, v in fly.get("processes", {}).items() if k != "app"}
    assert sorted(others) == (
        ["beat", "worker"] if answers["tasks"] == "celery" else []
    ), f"fly.toml [processes]: {sorted(fly.get('processes', {}))}"
    for name, process in others.items():
        with containers.Container(
            image, env, command=shlex.split(process), network=OWN_NETWORK
        ) as machine:
            machine.wait_output(deployment.CELERY_READY[name])
            check_non_root(machine, image)


def on_host_loopback(url: str) -> str:
    """``url`` with its 127.0.0.1 host replaced by the address at which a
    container in a network of its own reaches this machine's loopback."""
    parts = urlsplit(url)
    netloc = parts.netloc.replace(parts.hostname or "", HOST_LOOPBACK)
    return urlunsplit(parts._replace(netloc=netloc))


# --------------------------------------------------------------------------
# docker compose, service by service


def interpolate(value: str, variables: Mapping[str, str]) -> str:
    """Compose's ``${VAR}``, ``${VAR:-default}``, ``${VAR:?error}`` and ``$$``."""

    def replace(match: re.Match[str]) -> str:
        name, op, arg = match.group(1), match.group(2), match.group(3)
        if variables.get(name):
            return variables[name]
        if op == ":?":
            raise AssertionError(f"compose needs {name}: {arg}")
        return arg or ""

    value = re.sub(r"(?<!\$)\$\{(\w+)(?:(:[-?])([^}]*))?\}", replace, value)
    return value.replace("$$", "$")


def service_env(
    service: dict, variables: Mapping[str, str], database_url: str | None
) -> dict[str, str]:
    """A compose service's environment, with its database URL pointing at a
    fresh database on the local server under the compose host name (``db``)."""
    env = {k: interpolate(str(v), variables) for k, v in service["environment"].items()}
    if "DATABASE_URL" in env and not env["DATABASE_URL"].startswith("sqlite"):
        assert database_url, "compose names a database server for this project"
        wanted, fresh = urlsplit(env["DATABASE_URL"]), urlsplit(database_url)
        assert wanted.scheme == fresh.scheme, (wanted.scheme, fresh.scheme)
        auth = fresh.netloc.rpartition("@")[0]
        netloc = f"{auth}@{wanted.hostname}:{fresh.port}"
        env["DATABASE_URL"] = urlunsplit(fresh._replace(netloc=netloc))
    return env


def run_healthcheck(container: containers.Container, service: dict) -> str:
    """Run the service's healthcheck test in its container; its output."""
    test = service["healthcheck"]["test"]
    test = [
        interpolate(word, {}) for word in ([test] if isinstance(test, str) else test)
    ]
    if len(test) == 1:
        command = ["/bin/sh", "-c", test[0]]
    elif test[0] == "CMD-SHELL":
        command = ["/bin/sh", "-c", test[1]]
    else:
        assert test[0] == "CMD", test
        command = test[1:]
    result = container.exec(*command, check=False)
    assert result.returncode == 0, (
        f"healthcheck {command} exited {result.returncode}:\n{result.output}"
        f"\n{container.logs()}"
    )
    return result.output


@pytest.mark.parametrize("answers", WIDEST, ids=combo_id)
def test_compose_services(answers, podman, clones, databases):
    """Each application service of compose.yaml runs in the built image with
    its own command, environment and volumes, in dependency order, and
    passes its healthcheck."""
    project = clones.get(answers)
    image = containers.build(project).name
    compose_services = app_services(project)
    assert "web" in compose_services, "compose.yaml has no web service"
    assert ("worker" in compose_services) == (answers["tasks"] == "celery")
    assert ("beat" in compose_services) == (answers["tasks"] == "celery")
    if answers["tasks"] == "celery":
        redis = urlsplit(services.require("redis").url)
        assert (redis.hostname, redis.port or 6379) == ("127.0.0.1", 6379), (
            "compose's redis://redis:6379 is reached at this machine's 6379"
        )
    # What a user puts in .env before `docker compose up` (compose.yaml says so).
    dotenv = {"SECRET_KEY": deploy.new_secret_key()}
    url = database_for(answers, databases)
    hosts = [
        "--add-host",
        f"db:{HOST_LOOPBACK}",
        "--add-host",
        f"redis:{HOST_LOOPBACK}",
    ]

    with containers.volume() as data:

        def start(service: dict, *, detach: bool, publish: list[str] = ()):
            """The service's container: its volumes on the one fresh volume,
            .env when it reads one, its environment, its command."""
            extra = [*hosts, *publish]
            for mount in service.get("volumes", []):
                extra += ["-v", f"{data}:{mount.split(':')[1]}"]
            env = service_env(service, dotenv, url)
            if service.get("env_file"):
                env = {**dotenv, **env}  # environment: wins over env_file
            command = service.get("command", [])
            if not detach:
                return containers.run_once(
                    image, command, env, network=OWN_NETWORK, extra=extra
                )
            return containers.Container(
                image, env, command=command, network=OWN_NETWORK, extra=extra
            )

        if "migrate" in compose_services:
            depends = compose_services["web"].get("depends_on", {})
            assert depends.get("migrate", {}).get("condition") == (
                "service_completed_successfully"
            ), "web does not wait for migrate"
            start(compose_services["migrate"], detach=False)
        web = compose_services["web"]
        published = net.free_port()
        inside = int(web["ports"][0].split(":")[-1])
        publish = ["-p", f"127.0.0.1:{published}:{inside}"]
        with start(web, detach=True, publish=publish) as container:
            container.wait_http(published, "/readyz")
            check_non_root(container, image)
            home = containers.client(published, Host=f"localhost:{published}").get("/")
            assert home.status == 200, f"/ answered {home.status}: {home.body[:800]}"
            run_healthcheck(container, web)
            if "worker" in compose_services:
                worker = compose_services["worker"]
                with start(worker, detach=True) as celery:
                    celery.wait_output(r"celery@\S+ ready")
                    check_non_root(celery, image)
                    ping = run_healthcheck(celery, worker)
                    assert f"celery@{celery.name}" in ping, ping
            if "beat" in compose_services:
                with start(compose_services["beat"], detach=True) as beat:
                    beat.wait_output(deployment.CELERY_READY["beat"])
                    check_non_root(beat, image)
