"""After rendering: the git repository, the optional install, next steps."""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from .catalogue import Answers


class InstallError(Exception):
    """A step of ``--install`` failed; the message names the command."""


def git_available() -> bool:
    return shutil.which("git") is not None


def git_init(project: Path) -> None:
    """Make ``project`` a repository whose first commit is the generated tree;
    the branch of pristine renders that ``webdev-new update`` merges from
    starts at that same commit."""
    from .render import RenderError
    from .update import UpdateError, record_first_render

    try:
        record_first_render(project)
    except UpdateError as exc:
        raise RenderError(f"could not make the git repository: {exc}") from exc


def _run(step: str, command: list[str], cwd: Path, echo) -> None:
    echo(f"  {step}: {' '.join(command)}")
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        last = detail[-1] if detail else f"exit status {result.returncode}"
        raise InstallError(f"'{' '.join(command)}' failed: {last}")


def find_uv() -> str | None:
    """uv from webdev-new's own environment, else from PATH.

    Its own environment comes first: a version manager's shim on PATH (pyenv)
    picks its Python by the ``.python-version`` of the directory it runs in,
    and inside the new project that names a version that may not have uv.
    """
    beside = Path(sys.executable).parent / "uv"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("uv")


def project_python(project: Path) -> str:
    """An interpreter that meets the project's ``requires-python``: this one
    when it does, else the oldest allowed ``python3.X`` on PATH (a Django 6.0
    project needs 3.12 while webdev-new may run on 3.11)."""
    declared = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    required = declared.get("requires-python", "").strip()
    match = re.fullmatch(r">=\s*3\.(\d+)", required)
    if match is None or sys.version_info >= (3, int(match[1])):
        return sys.executable
    for minor in range(int(match[1]), int(match[1]) + 20):
        found = shutil.which(f"python3.{minor}")
        if found:
            return found
    raise InstallError(
        f"the project needs Python {required} and this is {platform.python_version()}:"
        f" install Python 3.{match[1]} (or newer) and put python3.{match[1]} on PATH"
    )


def install(project: Path, answers: Answers, echo) -> str:
    """Create ``.venv``, install the project with its dev dependencies, prepare
    the database; return the command that starts the development server."""
    project = project.absolute()  # every command below runs inside it
    venv = project / ".venv"
    _install_packages(project, venv, echo)
    python = venv / "bin" / "python"
    if answers["framework"] == "django":
        _run(
            "database",
            [str(python), "manage.py", "migrate", "--noinput"],
            project,
            echo,
        )
        return ".venv/bin/python manage.py runserver"
    if answers["database"] != "none":
        flask = venv / "bin" / "flask"
        _run("database", [str(flask), "db", "upgrade"], project, echo)
    return ".venv/bin/flask run"


def _install_packages(project: Path, venv: Path, echo) -> None:
    """``venv`` made with an interpreter the project allows, and the
    development lock installed into it: with uv when there is one (hashes
    checked), else with pip."""
    python = venv / "bin" / "python"
    base = project_python(project)
    uv = find_uv()
    if uv:
        echo("Installing with uv")
        # An interpreter that meets the project's requires-python: uv would
        # otherwise take .python-version's and may try to download it.
        create = [uv, "venv", "--quiet", "--python", base, str(venv)]
        install = [uv, "pip", "install", "--quiet", "--require-hashes"]
        install += ["--python", str(python), "-r", "requirements-dev.txt"]
    else:
        echo("Installing with pip (uv is neither beside this Python nor on PATH)")
        create = [base, "-m", "venv", str(venv)]
        install = [str(python), "-m", "pip", "install", "--quiet"]
        install += ["-r", "requirements-dev.txt"]
    _run("create .venv", create, project, echo)
    _run("install", install, project, echo)


def next_steps(directory: str, answers: Answers, installed: str | None) -> list[str]:
    """The short list printed last, tailored to the answers.

    After ``--install`` nothing is activated in the user's shell, so the
    commands name the project's own ``.venv/bin`` tools.
    """
    steps = [f"cd {directory}"]
    if installed:
        steps.append(f"{installed}    # start the development server")
    else:
        steps += _setup_steps(answers)
    steps += _feature_steps(answers, ".venv/bin/" if installed else "")
    deploy = {
        "docker": "docker compose up --build",
        "heroku": "git push heroku main    (see README.md, Heroku)",
        "render": "connect the repository in Render: render.yaml is a Blueprint",
        "fly": "fly launch --no-deploy && fly deploy",
    }
    for target in answers["hosting"]:
        steps.append(f"deploy ({target}): {deploy[target]}")
    return steps


def _setup_steps(answers: Answers) -> list[str]:
    """Make the environment, install, prepare the database, start: by hand."""
    python = "python"
    release = answers.get("django_version")
    if release is not None:
        from .render import shared_versions

        oldest = shared_versions().django_python_oldest[release]
        if oldest != shared_versions().python_oldest:
            # Django 6.0 needs a newer Python than the other projects.
            python = f"python{oldest}"
    step = f"{python} -m venv .venv && . .venv/bin/activate"
    if python != "python":
        step += f"    # Django {release} needs Python {python[6:]} or newer"
    steps = [step, "pip install -r requirements-dev.txt"]
    if answers["database"] in ("postgresql", "mysql"):
        steps.append("edit DATABASE_URL in .env to point at your database server")
    if answers["framework"] == "django":
        steps.append("python manage.py migrate && python manage.py runserver")
    elif answers["database"] != "none":
        steps.append("flask db upgrade && flask run")
    else:
        steps.append("flask run")
    return steps


def _feature_steps(answers: Answers, bin_dir: str) -> list[str]:
    """What each chosen feature asks of the user, then the tests."""
    django = answers["framework"] == "django"
    steps = []
    if answers["admin"]:
        steps.append(
            f"{bin_dir}python manage.py createsuperuser    # then open /admin/"
            if django
            else f"{bin_dir}flask create-admin    # then open /admin/"
        )
    if answers["tasks"] == "celery":
        steps.append(
            "start Redis, then the worker and one beat (periodic tasks):"
            " see 'Periodic tasks' in README.md"
        )
    if answers["monitoring"] == "sentry":
        steps.append(
            "set SENTRY_DSN to your Sentry project's DSN to receive error reports"
            " (see 'Error monitoring' in README.md)"
        )
    if answers["api"] == "rest":
        command = "python manage.py api_token" if django else "flask api-token"
        steps.append(f"{bin_dir}{command} EMAIL    # an API token; docs at /api/docs/")
    steps.append(f"{bin_dir}pytest    # run the tests")
    return steps
