"""Every combination of the options that change code, generated and put to work.

The combinations come from the feature catalogue (``code_matrix``), so a new
option or value is covered the day it is added.  Each project runs its own
lint, type check and tests in an environment built from the dependencies it
declares (and nothing else: the project itself is not installed), then its
framework's database and deployment checks against the real database servers.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import combos
import deploy
import projects
import pytest
import services
from combos import combo_id
from shell import run

from testkit.environment import clean_env

DJANGO = combos.code_combinations("django")
FLASK = combos.code_combinations("flask")

pytestmark = pytest.mark.matrix


@pytest.fixture
def built(answers, store, tmp_path) -> tuple[Path, Path]:
    """A private copy of the combination's project, and its environment."""
    project = store.get(answers)
    venv = projects.venv_for(project)
    return projects.ProjectStore.copy(project, tmp_path), venv


def services_env(answers, databases, *, test_db: bool = False) -> dict[str, str]:
    """Settings that point the project at fresh databases and at Redis."""
    env = {}
    if answers["database"] in ("postgresql", "mysql"):
        url = databases.create(answers["database"])
        env["TEST_DATABASE_URL" if test_db else "DATABASE_URL"] = url
    if answers["tasks"] == "celery":
        env["REDIS_URL"] = services.require("redis").url
    return env


@pytest.mark.parametrize("answers", DJANGO + FLASK, ids=combo_id)
def test_lint(answers, built):
    """`ruff check` and `ruff format --check` pass, with the project's own ruff."""
    project, venv = built
    assert (venv / "bin/ruff").exists(), "the dev dependencies do not include ruff"
    env = clean_env(venv)
    failures = []
    for args in (["ruff", "check", "."], ["ruff", "format", "--check", "."]):
        result = run([*args, "--no-cache"], cwd=project, env=env, check=False)
        if result.returncode:
            failures.append(f"$ {' '.join(args)}\n{result.output[-3000:]}")
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("answers", DJANGO + FLASK, ids=combo_id)
def test_type_check(answers, built, tmp_path):
    """mypy, as the project's pyproject.toml configures it (strict), finds no
    error, with the project's own mypy and stubs."""
    project, venv = built
    assert (venv / "bin/mypy").exists(), "the dev dependencies do not include mypy"
    pyproject = (project / "pyproject.toml").read_text()
    assert "strict = true" in pyproject, "mypy is not configured in strict mode"
    # One mypy cache per framework, Django release and xdist worker, kept
    # across runs: mypy checks each cached module against its source (hash)
    # and re-analyses what differs, so the packages every combination shares
    # (SQLAlchemy, Django, their stubs) are analysed once instead of in each
    # combination, about 30 s each on 2 cores. The generated CI's own cold
    # run is in the ci stage.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    release = answers.get("django_version", "")
    cache = projects.CACHE / "mypy" / f"{answers['framework']}{release}-{worker}"
    forget_project_modules(cache)
    command = ["mypy", "--cache-dir", str(cache)]
    result = run(command, cwd=project, env=clean_env(venv), check=False)
    if result.returncode != 0:
        # The shared cache can trip mypy over a module a combination with
        # other packages left in it (seen: "Cannot find module for
        # celery.app.task.Task" with status 2, and for redis.commands.core.Script
        # as an internal error with status 1).  Check again from an empty cache:
        # that run alone decides, so a real error in the code still fails.
        command[-1] = str(tmp_path / "mypy-cache")
        result = run(command, cwd=project, env=clean_env(venv), check=False)
    assert result.returncode == 0, result.output[-6000:]
    assert "Success: no issues found" in result.output, result.output[-3000:]


def forget_project_modules(cache: Path) -> None:
    """Drop what a mypy cache holds for the modules of the project checked in
    it (their paths are relative; installed packages' are absolute), so the
    project's own modules are always analysed from their source: every
    combination names its modules alike and the store gives every file the
    same time stamp, so mypy could trust another combination's module (a
    combination without Celery was once checked against a main.py that
    imported its tasks)."""
    for meta in cache.glob("*/**/*.meta.json"):
        try:
            path = json.loads(meta.read_text()).get("path", "")
        except (OSError, ValueError):
            path = ""
        if not Path(path).is_absolute():
            data = meta.with_name(meta.name.replace(".meta.", ".data."))
            meta.unlink(missing_ok=True)
            data.unlink(missing_ok=True)


@pytest.mark.parametrize("answers", DJANGO + FLASK, ids=combo_id)
def test_own_tests(answers, built, databases):
    """The project's own test suite passes (against the real database server
    for PostgreSQL and MySQL)."""
    project, venv = built
    assert (venv / "bin/pytest").exists(), "the dev dependencies do not include pytest"
    flask = answers["framework"] == "flask"
    env = clean_env(venv, **services_env(answers, databases, test_db=flask))
    run(["pytest", "-q", "-p", "no:cacheprovider"], cwd=project, env=env)


@pytest.mark.parametrize("answers", DJANGO, ids=combo_id)
def test_django_migrations(answers, built, databases):
    """Migrations match the models and apply to an empty database."""
    project, venv = built
    env = clean_env(venv, **services_env(answers, databases))
    manage = ["python", "manage.py"]
    run([*manage, "makemigrations", "--check", "--dry-run"], cwd=project, env=env)
    run([*manage, "migrate", "--noinput"], cwd=project, env=env)


@pytest.mark.parametrize("answers", DJANGO, ids=combo_id)
def test_django_deploy_checks(answers, built, databases, tmp_path):
    """With the production environment the README describes, Django's
    deployment checks raise nothing and static files collect."""
    project, venv = built
    (project / ".env").unlink(missing_ok=True)  # a deployment has no .env
    env = deploy.production_env(
        "django",
        venv,
        services.database_url(answers, databases, tmp_path),
        ALLOWED_HOSTS="example.com",
        **(
            {"REDIS_URL": services.require("redis").url}
            if answers["tasks"] == "celery"
            else {}
        ),
    )
    manage = ["python", "manage.py"]
    run([*manage, "check", "--deploy", "--fail-level", "WARNING"], cwd=project, env=env)
    run([*manage, "collectstatic", "--noinput"], cwd=project, env=env)


@pytest.mark.parametrize(
    "answers", [a for a in FLASK if combos.has_database(a)], ids=combo_id
)
def test_flask_migrations(answers, built, databases):
    """The shipped migrations apply (`flask db upgrade` with no extra flags)
    and match the models (`flask db check`)."""
    project, venv = built
    env = clean_env(venv, **services_env(answers, databases))
    run(["flask", "db", "upgrade"], cwd=project, env=env)
    run(["flask", "db", "check"], cwd=project, env=env)
