"""The environment a generated project's commands run in."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

#: Variables of this process that would change what a generated project (or a
#: reference app) does if they leaked into its commands.
LEAKY = (
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
    "GUNICORN_CMD_ARGS",
)

#: Prefixes of variables a test runner sets for itself.
LEAKY_PREFIXES = ("PYTEST_", "COV_CORE_")


def clean_env(
    venv: Path | None = None, *, bytecode: bool = False, **extra: str
) -> dict[str, str]:
    """This process's environment minus what would leak into a project, with
    ``venv``'s tools first on PATH, plus ``extra``.

    Without ``bytecode`` no ``.pyc`` files are written, so a project shared by
    several tests stays as generated; with it Python behaves as it does on a
    user's machine (a benchmark that times start-up, a host's process), even
    when this process's own environment turns bytecode off.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in LEAKY and not k.startswith(LEAKY_PREFIXES)
    }
    if venv is not None:
        env["VIRTUAL_ENV"] = str(venv)
        env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


def tool(name: str) -> str:
    """A console script of the running interpreter's environment (where
    ``pip install -e ".[test]"`` put it), else the one on PATH.

    The interpreter's own directory comes first: a version manager's shim on
    PATH would pick its Python by the ``.python-version`` of the directory the
    tool runs in, and a generated project names another version.
    """
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} is not installed")
    return found
