"""The generator from a normal (non-editable) wheel install, used elsewhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile

import pytest
from clitools import ROOT

pytestmark = pytest.mark.skipif(
    shutil.which("uv") is None and not os.environ.get("CI"),
    reason="building the wheel and its venv uses uv (pip install uv)",
)


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_wheel_ships_the_templates_and_works_outside_the_checkout(tmp_path, installer):
    """Installed by uv or by pip; pip byte-compiles every .py file, the
    templates' too, and none of that bytecode may reach a project."""
    dist = tmp_path / "dist"
    subprocess.run(
        ["uv", "build", "--wheel", "--out-dir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    (wheel,) = dist.glob("webdev_new-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for framework in ("django", "flask"):
        base = f"generator/templates/{framework}-starter"
        assert f"{base}/cookiecutter.json" in names
        assert f"{base}/hooks/post_gen_project.py" in names
        assert f"{base}/{{{{cookiecutter.project_name}}}}/.gitignore" in names
    for asset in ("index.html", "app.js", "app.css", "icon.svg"):
        assert f"generator/static/{asset}" in names  # webdev-new serve's page

    venv = tmp_path / "venv"
    python = str(venv / "bin" / "python")
    if installer == "uv":
        create = ["uv", "venv", "--quiet", "--python", sys.executable, str(venv)]
        install = ["uv", "pip", "install", "--quiet", "--python", python, str(wheel)]
    else:
        create = [sys.executable, "-m", "venv", str(venv)]
        install = [python, "-m", "pip", "install", "--quiet", str(wheel)]
    subprocess.run(create, check=True)
    subprocess.run(install, check=True, capture_output=True, text=True)
    if installer == "pip":
        packaged = venv.glob("lib/python3*/site-packages/generator/templates")
        assert any(next(packaged).rglob("__pycache__")), "pip compiled nothing?"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)}
    for framework, marker in (("django", "manage.py"), ("flask", "wsgi.py")):
        result = subprocess.run(
            [
                str(venv / "bin" / "webdev-new"),
                f"w_{framework}",
                "--yes",
                "--framework",
                framework,
            ],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        assert result.returncode == 0, result.stderr
        project = elsewhere / f"w_{framework}"
        assert (project / marker).is_file()
        assert (project / ".env").is_file()
        assert (project / ".git").is_dir()
        compiled = [
            path
            for path in project.rglob("*")
            if path.name == "__pycache__" or path.suffix == ".pyc"
        ]
        assert compiled == [], compiled
    # Without the web extra, serve says what to install (and nothing else).
    serve = subprocess.run(
        [str(venv / "bin" / "webdev-new"), "serve"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert serve.returncode == 1, serve.stderr
    assert serve.stderr.strip() == (
        'webdev-new: error: serve needs the web extra: pip install "webdev-new[web]"'
    )
    # The installed copy ran, not this checkout.
    where = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import generator; print(generator.__file__)",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(venv)), where
