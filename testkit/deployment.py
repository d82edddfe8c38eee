"""What a generated project's deployment files say it runs.

Read the way a host reads them: the Procfile's process types, the
Dockerfile's final CMD, and the WSGI application its gunicorn command serves.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from generator.names import package_name


def package_dir(project: Path) -> Path:
    """The project's Python package (``demo-site`` -> ``demo-site/demo_site``)."""
    return project / package_name(project.name)


def procfile(project: Path) -> dict[str, str]:
    """The process types of the project's Procfile."""
    processes = {}
    for line in (project / "Procfile").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, sep, command = line.partition(":")
            if not sep:
                raise ValueError(f"Procfile line without a colon: {line!r}")
            processes[name.strip()] = command.strip()
    return processes


#: What each Celery process logs once it runs: a worker once connected to
#: the broker, beat once its scheduler has started.
CELERY_READY = {"worker": r"celery@\S+ ready", "beat": r"beat: Starting\.\.\."}


def celery_kind(command: str) -> str:
    """``worker`` or ``beat``: which Celery process a start command runs."""
    words = shlex.split(command)
    if "celery" not in words:
        raise ValueError(f"not a Celery command: {command!r}")
    kinds = [word for word in words if word in CELERY_READY]
    if len(kinds) != 1:
        raise ValueError(f"neither a Celery worker nor beat: {command!r}")
    return kinds[0]


def dockerfile_instructions(project: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined."""
    text = re.sub(r"\\\n", " ", (project / "Dockerfile").read_text())
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
            cmd = json.loads(rest) if rest.startswith("[") else ["/bin/sh", "-c", rest]
    return cmd


def web_commands(project: Path) -> list[tuple[list[str], str]]:
    """The web process's command in each deployment file that has one, with
    the file's name: the Procfile's ``web:`` line, then the Dockerfile's CMD."""
    found = []
    if (project / "Procfile").exists() and "web" in procfile(project):
        found.append((shlex.split(procfile(project)["web"]), "Procfile"))
    if (project / "Dockerfile").exists():
        cmd = dockerfile_cmd(project)
        if cmd[:2] == ["/bin/sh", "-c"]:
            cmd = shlex.split(cmd[2])
        if cmd:
            found.append((cmd, "Dockerfile CMD"))
    return found


#: gunicorn options that take a value (so the value is not the application).
GUNICORN_VALUED = frozenset(
    [
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
    ]
)


def gunicorn_app(argv: list[str]) -> str | None:
    """The application a gunicorn command line serves, None if ``argv`` does
    not run gunicorn."""
    names = [Path(word).name for word in argv]
    if "gunicorn" not in names:
        return None
    skip = False
    for word in argv[names.index("gunicorn") + 1 :]:
        if skip:
            skip = False
        elif word in GUNICORN_VALUED:
            skip = True
        elif not word.startswith("-"):
            return word
    return None


def wsgi_target(project: Path) -> str:
    """The WSGI application the project's own web process serves, else the
    frameworks' usual entry points."""
    for argv, _source in web_commands(project):
        app = gunicorn_app(argv)
        if app:
            return app
    if (package_dir(project) / "wsgi.py").exists():
        return f"{package_dir(project).name}.wsgi:application"
    if (project / "wsgi.py").exists():
        return "wsgi:app"
    raise LookupError(f"no gunicorn application found in {project}'s web process")
