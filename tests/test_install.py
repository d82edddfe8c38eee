"""``--install``: a ready virtual environment and database, or a clear failure."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from clitools import ROOT, assert_one_line_error, run

pytestmark = pytest.mark.skipif(
    shutil.which("uv") is None and not os.environ.get("CI"),
    reason="installs packages from the index; pip install uv for a fast run",
)


@pytest.mark.parametrize(
    ("framework", "prepared", "start"),
    [
        ("django", "db.sqlite3", ".venv/bin/python manage.py runserver"),
        ("flask", None, ".venv/bin/flask run"),
    ],
)
def test_install_creates_venv_and_prepares_the_database(
    tmp_path, framework, prepared, start
):
    result = run("ready", "--yes", "--install", "--framework", framework, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    project = tmp_path / "ready"
    assert "Installing with uv" in result.stdout
    steps = result.stdout.split("Next steps:")[1]
    assert start in steps
    # Nothing is activated in the user's shell: the steps name the .venv tools.
    assert ".venv/bin/pytest" in steps
    admin = (
        "python manage.py createsuperuser"
        if framework == "django"
        else "flask create-admin"
    )
    assert f".venv/bin/{admin}" in steps
    python = project / ".venv" / "bin" / "python"
    # The dev dependencies are there too: the test runner and the linter.
    for tool in ("pytest", "ruff"):
        assert (project / ".venv" / "bin" / tool).exists(), tool
    if framework == "django":
        assert (project / prepared).is_file()
        check = [str(python), "manage.py", "migrate", "--check"]
    else:
        check = [str(project / ".venv" / "bin" / "flask"), "db", "check"]
    done = subprocess.run(check, cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def bare_path(directory: Path, *tools: str) -> str:
    """A PATH of one directory holding only ``tools`` (links to the real ones)."""
    directory.mkdir()
    for tool in tools:
        os.symlink(shutil.which(tool), directory / tool)
    return str(directory)


def test_install_falls_back_to_pip_without_uv(tmp_path):
    # An interpreter with webdev-new importable but no uv beside it, and no uv
    # on PATH either.
    env_dir = tmp_path / "env"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "venv",
            "--system-site-packages",
            "--without-pip",
            str(env_dir),
        ],
        check=True,
    )
    result = subprocess.run(
        [
            str(env_dir / "bin/python"),
            "-m",
            "generator",
            "pipped",
            "--yes",
            "--install",
            "--framework",
            "flask",
            "--database",
            "none",
        ],
        cwd=tmp_path,
        env={
            **os.environ,
            "PATH": bare_path(tmp_path / "bin", "git", "python3"),
            "NO_COLOR": "1",
            "PYTHONPATH": str(ROOT),
        },
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Installing with pip (uv is neither beside this Python" in result.stdout
    assert (tmp_path / "pipped" / ".venv" / "bin" / "flask").exists()


def test_install_takes_uv_beside_its_python_before_a_shim_on_path(tmp_path):
    """A version manager's shim on PATH picks its Python from the project's
    .python-version and may find no uv there: webdev-new's own uv is used."""
    shims = tmp_path / "shims"
    shims.mkdir()
    shim = shims / "uv"
    shim.write_text("#!/bin/sh\necho 'pyenv: uv: command not found' >&2\nexit 127\n")
    shim.chmod(0o755)
    path = f"{shims}{os.pathsep}{os.environ['PATH']}"
    result = run(
        "shimmed",
        "--yes",
        "--install",
        "--framework",
        "flask",
        "--database",
        "none",
        cwd=tmp_path,
        env={"PATH": path},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Installing with uv" in result.stdout
    assert (tmp_path / "shimmed" / ".venv" / "bin" / "flask").exists()


def test_failed_install_step_names_the_command_and_keeps_the_project(tmp_path):
    # PostgreSQL on a port where nothing listens: the migration must fail.
    result = run(
        "broken",
        "--yes",
        "--install",
        "--database",
        "postgresql",
        cwd=tmp_path,
        env={"DATABASE_URL": "postgresql://postgres@127.0.0.1:9/nothing"},
    )
    assert_one_line_error(result, "install failed", "manage.py migrate --noinput")
    assert (tmp_path / "broken" / "manage.py").is_file()
