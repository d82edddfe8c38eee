"""The generated CI, run as written, in a fresh clone of a fresh project.

For every framework x database (the combination with the most code features,
so the widest ``services:`` block) and both CI systems, the test generates the
project as a git repository, clones it (so nothing git-ignored, such as
``.env``, is there), reads the workflow or pipeline with PyYAML and runs each
``run:`` / ``script:`` line in order with ``bash -e``, as the runner would:

- the environment is the one the file declares (workflow, job and step
  ``env:``; GitLab's ``variables:``), on top of a clean runner environment;
- Python is a fresh virtual environment of the version the file names
  (``actions/setup-python``'s ``python-version``, GitLab's
  ``image: python:3.X-slim``) made from pyenv's interpreter, first on PATH:
  what setup-python or the image gives;
- the service containers the file declares are the local servers: a
  service's environment that creates a database (``POSTGRES_DB``,
  ``MARIADB_DATABASE``...) creates it on the local server, and URLs that point
  at a service are pointed at the local server instead (see ``Service``).

A ``uses:`` step other than checkout and setup-python fails the test: the
runner here cannot reproduce it, so it would slip in unproven.  So does any
key this runner does not understand (``if:``, ``matrix``, ``rules``...): the
file must say nothing that was not run.
"""

from __future__ import annotations

import re
import shlex
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import combos
import deploy
import projects
import pytest
import services
import yaml
from combos import combo_id
from shell import run

from generator.catalogue import BY_KEY
from testkit import deployment

CI_SYSTEMS = [c for c in BY_KEY["ci"].choices if c != "none"]
COMBOS = [
    combos.widest(framework, database, ci=ci)
    for framework, database in combos.framework_databases()
    for ci in CI_SYSTEMS
]


# --------------------------------------------------------------------------
# Service containers, played by the local servers


# Service images, by the local server that plays them.
IMAGES = {
    "postgres": "postgresql",
    "mariadb": "mysql",
    "mysql": "mysql",
    "redis": "redis",
}
URL_SCHEMES = {
    "postgres": "postgresql",
    "postgresql": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "redis": "redis",
}
CONTAINER_PORTS = {"postgresql": 5432, "mysql": 3306, "redis": 6379}


@dataclass
class Service:
    """A service container the file declares, and the local server playing it.

    The local servers are not containers: their accounts and host names differ
    from the ones the file gives its service. So each URL in the job's
    environment that points at the service (its host and port) is checked
    against what the container would accept (the user and password its
    environment creates, a database that exists there) and then rewritten to
    the local server's address and account. GitLab services are reached by
    their alias as a host name (``postgres``); here that host is 127.0.0.1.
    """

    kind: str  # postgresql, mysql or redis
    hosts: set[str]
    port: int
    env: dict[str, str]
    databases: set[str] = field(default_factory=set)

    @classmethod
    def from_image(
        cls, image: str, hosts: set[str], port: int | None, env: dict[str, str]
    ) -> Service:
        name = image.split("/")[-1].split(":")[0]
        assert name in IMAGES, f"service image {image!r}: no local server plays it"
        kind = IMAGES[name]
        return cls(kind, hosts, port or CONTAINER_PORTS[kind], env)

    def accounts(self) -> dict[str, str | None]:
        """user -> password the container's entrypoint creates (None: any)."""
        env = self.env
        if self.kind == "postgresql":
            password = env.get("POSTGRES_PASSWORD")
            assert password or env.get("POSTGRES_HOST_AUTH_METHOD") == "trust", (
                "the postgres image refuses to start without POSTGRES_PASSWORD"
            )
            return {env.get("POSTGRES_USER", "postgres"): password}
        if self.kind == "mysql":
            prefix = "MARIADB_" if "MARIADB_ROOT_PASSWORD" in env else "MYSQL_"
            made: dict[str, str | None] = {}
            if f"{prefix}ROOT_PASSWORD" in env:
                made["root"] = env[f"{prefix}ROOT_PASSWORD"]
            elif env.get(f"{prefix}ALLOW_EMPTY_ROOT_PASSWORD") or env.get(
                "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD"
            ):
                made["root"] = ""
            else:
                raise AssertionError(
                    "the MariaDB/MySQL image refuses to start without a root password"
                    " setting (MARIADB_ROOT_PASSWORD...)"
                )
            if f"{prefix}USER" in env:
                made[env[f"{prefix}USER"]] = env.get(f"{prefix}PASSWORD", "")
            return made
        return {"": None}

    def created_database(self) -> str | None:
        """The database the container's environment creates, if any."""
        if self.kind == "postgresql":
            return self.env.get("POSTGRES_DB") or self.env.get("POSTGRES_USER")
        if self.kind == "mysql":
            return self.env.get("MARIADB_DATABASE") or self.env.get("MYSQL_DATABASE")
        return None

    def start(self, databases: services.Databases, slug: str) -> None:
        """Do on the local server what the container's start-up would do."""
        services.require(self.kind)
        name = self.created_database()
        if name:
            # The local server is shared, the container would not be: a name
            # not derived from the project could be another test's database.
            assert name.startswith(slug), (
                f"the {self.kind} service creates the database {name!r}, not named"
                f" after the project ({slug}): refused on a shared server"
            )
            databases.made.append((self.kind, name))
            services.drop_database(self.kind, name)
            services.create_database(self.kind, name)
            self.databases.add(name)
        if self.kind == "postgresql":
            self.databases.add("postgres")

    def rewrite(self, value: str) -> str:
        """``value`` pointed at the local server, if it is a URL to this
        service; unchanged otherwise."""
        parts = urlsplit(value)
        scheme = URL_SCHEMES.get(parts.scheme.split("+")[0])
        if scheme != self.kind or parts.hostname not in self.hosts:
            return value
        if (parts.port or CONTAINER_PORTS[self.kind]) != self.port:
            return value
        user, password = unquote(parts.username or ""), unquote(parts.password or "")
        accounts = self.accounts()
        if self.kind != "redis":
            assert user in accounts, (
                f"{value}: the service has no user {user!r} (it creates"
                f" {sorted(accounts)})"
            )
            wanted = accounts[user]
            assert wanted is None or password == wanted, (
                f"{value}: wrong password for {user!r} on the service"
            )
            database = parts.path.lstrip("/")
            assert database in self.databases, (
                f"{value}: the service has no database {database!r}; its"
                f" environment creates {sorted(self.databases)}"
            )
        local = urlsplit(services.SERVICES[self.kind].url)
        return urlunsplit(
            (parts.scheme, local.netloc, parts.path, parts.query, parts.fragment)
        )


# --------------------------------------------------------------------------
# What a job runs


@dataclass
class Step:
    name: str
    script: str
    env: dict[str, str]
    shell: list[str]


@dataclass
class Job:
    name: str
    python: str
    env: dict[str, str]
    services: list[Service]
    steps: list[Step]
    timeout: float = 3600


def check_keys(where: str, mapping: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(mapping) - allowed
    assert not unknown, (
        f"{where}: {sorted(unknown)} cannot be rehearsed here (a key this"
        " runner does not emulate would go unproven)"
    )


def strings(mapping: dict[str, Any] | None) -> dict[str, str]:
    """An ``env:``/``variables:`` block as strings (YAML gives numbers, bools)."""
    out = {}
    for key, value in (mapping or {}).items():
        if isinstance(value, dict):  # GitLab's {value:, description:}
            value = value.get("value", "")
        if isinstance(value, bool):
            value = str(value).lower()
        out[str(key)] = str(value)
    return out


def expand(value: str, env: dict[str, str]) -> str:
    """``$NAME`` and ``${NAME}`` from ``env`` (GitLab expands variables that
    use others); unknown names stay as written."""
    return re.sub(
        r"\$(?:\{(\w+)\}|(\w+))",
        lambda m: env.get(m.group(1) or m.group(2), m.group(0)),
        value,
    )


GITHUB_WORKFLOW_KEYS = {"name", "on", True, "permissions", "jobs", "env", "concurrency"}
GITHUB_JOB_KEYS = {
    "name",
    "runs-on",
    "permissions",
    "services",
    "env",
    "steps",
    "timeout-minutes",
}
GITHUB_STEP_KEYS = {"name", "run", "uses", "with", "env", "shell", "id"}
GITHUB_SHELLS = {
    # GitHub's default for `run:` on Linux, and what `shell: bash` means.
    None: ["bash", "-e"],
    "bash": ["bash", "--noprofile", "--norc", "-eo", "pipefail"],
}


def github_jobs(workflow: dict[str, Any]) -> list[Job]:
    """The jobs of a GitHub Actions workflow, as this runner will run them."""
    check_keys("workflow", workflow, GITHUB_WORKFLOW_KEYS)
    assert "${{" not in yaml.safe_dump(workflow), (
        "the workflow uses ${{ }} expressions, which this runner does not evaluate"
    )
    triggers = workflow.get("on", workflow.get(True))
    assert triggers, "the workflow has no `on:` trigger"
    jobs = []
    for job_name, job in workflow["jobs"].items():
        check_keys(f"job {job_name}", job, GITHUB_JOB_KEYS)
        assert job.get("runs-on") == "ubuntu-latest", (
            f"job {job_name}: runs-on {job.get('runs-on')!r} (ubuntu-latest expected)"
        )
        env = {**strings(workflow.get("env")), **strings(job.get("env"))}
        job_services = []
        for service_name, spec in (job.get("services") or {}).items():
            check_keys(
                f"service {service_name}", spec, {"image", "env", "ports", "options"}
            )
            ports = [str(p).split(":") for p in spec.get("ports", [])]
            published = {int(c): int(h) for h, c in (p for p in ports if len(p) == 2)}
            container = CONTAINER_PORTS[
                IMAGES[spec["image"].split("/")[-1].split(":")[0]]
            ]
            assert container in published, (
                f"service {service_name} does not publish port {container}: the"
                " steps, which run on the runner, cannot reach it"
            )
            job_services.append(
                Service.from_image(
                    spec["image"],
                    {"127.0.0.1", "localhost"},
                    published[container],
                    strings(spec.get("env")),
                )
            )
        steps, python = [], ""
        for number, step in enumerate(job["steps"], 1):
            check_keys(f"job {job_name} step {number}", step, GITHUB_STEP_KEYS)
            label = step.get("name") or step.get("uses") or step.get("run", "")[:40]
            uses = step.get("uses")
            if uses:
                action = uses.split("@")[0]
                if action == "actions/checkout":
                    continue  # the fresh clone
                if action == "actions/setup-python":
                    python = str(step.get("with", {}).get("python-version", ""))
                    continue
                raise AssertionError(
                    f"step {label!r} uses {uses}: this runner cannot reproduce it,"
                    " so it would go unproven"
                )
            assert step.get("shell") in GITHUB_SHELLS, (
                f"step {label!r}: shell {step.get('shell')!r} is not emulated"
            )
            steps.append(
                Step(
                    label,
                    step["run"],
                    strings(step.get("env")),
                    GITHUB_SHELLS[step.get("shell")],
                )
            )
        assert python, f"job {job_name} does not set up Python with setup-python"
        timeout = float(job.get("timeout-minutes", 360)) * 60
        jobs.append(Job(job_name, python, env, job_services, steps, timeout))
    return jobs


GITLAB_GLOBAL_KEYS = {
    "stages",
    "variables",
    "default",
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
    "workflow",
}
GITLAB_JOB_KEYS = {
    "stage",
    "image",
    "services",
    "variables",
    "cache",
    "before_script",
    "script",
    "timeout",
    "interruptible",
}


def gitlab_timeout(text: str) -> float:
    """GitLab's ``timeout: 20 minutes`` / ``1h 30m`` in seconds."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    total = 0.0
    for number, unit in re.findall(r"(\d+)\s*([smhd])", text.lower()):
        total += int(number) * units[unit]
    assert total, f"timeout {text!r} not understood"
    return total


def gitlab_jobs(pipeline: dict[str, Any], project_dir: Path) -> list[Job]:
    """The jobs of a ``.gitlab-ci.yml``, in stage order."""
    names = [k for k in pipeline if k not in GITLAB_GLOBAL_KEYS and k[0] != "."]
    check_keys(
        "pipeline", {k: 1 for k in pipeline if k not in names}, GITLAB_GLOBAL_KEYS
    )
    default = pipeline.get("default", {})
    stages = pipeline.get("stages", ["build", "test", "deploy"])
    # Variables GitLab predefines that the file may use.
    predefined = {"CI": "true", "GITLAB_CI": "true", "CI_PROJECT_DIR": str(project_dir)}
    jobs = []
    for job_name in sorted(
        names, key=lambda n: stages.index(pipeline[n].get("stage", "test"))
    ):
        job = pipeline[job_name]
        check_keys(f"job {job_name}", job, GITLAB_JOB_KEYS)
        image = job.get("image", default.get("image", pipeline.get("image")))
        match = re.fullmatch(
            r"(?:docker\.io/)?(?:library/)?python:(3\.\d+)(\.\d+)?-slim", str(image)
        )
        assert match, f"job {job_name}: image {image!r} is not a python:3.X-slim image"
        variables = {
            **predefined,
            **strings(pipeline.get("variables")),
            **strings(job.get("variables")),
        }
        env = {key: expand(value, variables) for key, value in variables.items()}
        job_services = []
        for spec in job.get(
            "services", default.get("services", pipeline.get("services", []))
        ):
            if isinstance(spec, str):
                spec = {"name": spec}
            check_keys(f"job {job_name} service", spec, {"name", "alias", "variables"})
            image_name = spec["name"].split("/")[-1].split(":")[0]
            # GitLab's host names for a service: its alias, and the image name.
            hosts = {image_name, spec["name"].split(":")[0].replace("/", "-")}
            hosts |= set(str(spec.get("alias", "")).replace(",", " ").split())
            # Services receive the job's variables (plus their own).
            service_env = {**env, **strings(spec.get("variables"))}
            job_services.append(
                Service.from_image(spec["name"], hosts, None, service_env)
            )
        lines = [
            *job.get(
                "before_script",
                default.get("before_script", pipeline.get("before_script", [])),
            ),
            *job["script"],
        ]
        # The runner runs every line in one shell, echoing each one first, and
        # stops at the first that fails.
        script = "".join(
            f"printf '\\n$ %s\\n' {shlex.quote(line)}\n{line}\n" for line in lines
        )
        steps = [Step("script", script, {}, ["bash", "-e"])]
        timeout = gitlab_timeout(job["timeout"]) if "timeout" in job else 3600
        jobs.append(Job(job_name, match.group(1), env, job_services, steps, timeout))
    return jobs


# --------------------------------------------------------------------------
# Running a job


@dataclass
class StepTime:
    job: str
    step: str
    seconds: float


def run_job(
    job: Job,
    clone: Path,
    work: Path,
    databases: services.Databases,
    runner_vars: dict[str, str],
) -> list[StepTime]:
    """Start the services, make the Python, then run every step in order; the
    first failing step fails the test with its output."""
    for service in job.services:
        service.start(databases, deployment.package_dir(clone).name)
    bin_dir = projects.fresh_venv(job.python, work / f"python-{job.name}") / "bin"
    env = deploy.platform_env(bin_dir, **runner_vars)
    job_env = {k: v for k, v in job.env.items()}
    for key, value in list(job_env.items()):
        for service in job.services:
            value = service.rewrite(value)
        job_env[key] = value
    times = []
    deadline = time.monotonic() + job.timeout
    scripts = work / f"steps-{job.name}"
    scripts.mkdir()
    for number, step in enumerate(job.steps, 1):
        step_env = {**env, **job_env}
        for key, value in step.env.items():
            for service in job.services:
                value = service.rewrite(value)
            step_env[key] = value
        script = scripts / f"{number}.sh"
        script.write_text(
            step.script if step.script.endswith("\n") else step.script + "\n"
        )
        started = time.monotonic()
        remaining = max(deadline - started, 1)
        result = run(
            [*step.shell, str(script)],
            cwd=clone,
            env=step_env,
            timeout=remaining,
            check=False,
        )
        times.append(StepTime(job.name, step.name, time.monotonic() - started))
        print(f"[{job.name}] {step.name}: {times[-1].seconds:.1f}s")
        assert result.returncode == 0, (
            f"CI job {job.name!r}, step {step.name!r} exited {result.returncode}:\n"
            f"{step.script}\n---\n{result.output[-6000:]}"
        )
    return times


@pytest.mark.parametrize("answers", COMBOS, ids=combo_id)
def test_generated_ci_runs_green(answers, tmp_path, databases):
    name = f"{projects.unique_name(answers, 'ci')}-{answers['ci']}"
    clone = projects.fresh_clone(answers, tmp_path, name)
    work = tmp_path / "runner"
    work.mkdir()
    if answers["ci"] == "github":
        files = sorted((clone / ".github/workflows").glob("*.y*ml"))
        assert files, "no workflow in .github/workflows"
        jobs = []
        for path in files:
            jobs += github_jobs(yaml.safe_load(path.read_text()))
        runner_vars = {
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(clone),
        }
    else:
        pipeline = yaml.safe_load((clone / ".gitlab-ci.yml").read_text())
        jobs = gitlab_jobs(pipeline, clone)
        runner_vars = {"CI": "true", "GITLAB_CI": "true", "CI_PROJECT_DIR": str(clone)}
        cache = pipeline.get("cache") or {}
        for job in (pipeline[j.name] for j in jobs):
            cache = job.get("cache", cache)
        # GitLab restores the job's cache paths from earlier pipelines; a
        # cached pip directory is played by this machine's own pip cache.
        for path in cache.get("paths", []) if cache else []:
            if path.rstrip("/").endswith("pip"):
                target, shared = clone / path, Path("~/.cache/pip").expanduser()
                shared.mkdir(parents=True, exist_ok=True)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.symlink_to(shared)
    assert jobs, "the CI file defines no job"
    started = time.monotonic()
    for job in jobs:
        run_job(job, clone, work, databases, runner_vars)
    print(
        f"{combo_id(answers)}: every step passed in {time.monotonic() - started:.1f}s"
    )
    dirty = run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=clone)
    assert not dirty.output.strip(), (
        f"the CI steps changed tracked files:\n{dirty.output}"
    )


def _workflow(step: dict[str, Any], **job: Any) -> dict[str, Any]:
    return {
        "on": {"push": None},
        "jobs": {
            "test": {
                "runs-on": "ubuntu-latest",
                "steps": [
                    {"uses": "actions/checkout@v4"},
                    {
                        "uses": "actions/setup-python@v5",
                        "with": {"python-version": "3.12"},
                    },
                    step,
                ],
                **job,
            }
        },
    }


@pytest.mark.parametrize(
    "workflow",
    [
        _workflow({"uses": "actions/cache@v4"}),
        _workflow({"run": "pytest", "if": "github.event_name == 'push'"}),
        _workflow({"run": "pytest"}, strategy={"matrix": {"python": ["3.12"]}}),
        _workflow({"run": "echo ${{ secrets.TOKEN }}"}),
        _workflow({"run": "pytest", "shell": "pwsh"}),
    ],
    ids=["uses", "if", "matrix", "expression", "shell"],
)
def test_runner_refuses_what_it_cannot_rehearse(workflow):
    """What this runner cannot reproduce fails the test instead of passing
    unproven."""
    with pytest.raises(AssertionError):
        github_jobs(workflow)


def test_service_urls_must_match_the_container():
    """A URL that the real service container would refuse (wrong password, a
    database its environment never creates) is caught before it is pointed
    at the local server, where it would have worked."""
    service = Service.from_image(
        "postgres:17",
        {"127.0.0.1"},
        5432,
        {"POSTGRES_PASSWORD": "postgres", "POSTGRES_DB": "site"},
    )
    service.databases |= {"site", "postgres"}
    good = service.rewrite("postgresql://postgres:postgres@127.0.0.1:5432/site")
    assert urlsplit(good).path == "/site"
    assert service.rewrite("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
    for bad in (
        "postgresql://postgres:secret@127.0.0.1:5432/site",
        "postgresql://app:postgres@127.0.0.1:5432/site",
        "postgresql://postgres:postgres@127.0.0.1:5432/other",
    ):
        with pytest.raises(AssertionError):
            service.rewrite(bad)
