"""Generate projects and build their environments, like a user would.

- ``generate``: the real ``python -m generator`` command in a subprocess;
- a cache of generated projects shared by every xdist worker of one run
  (``ProjectStore``), and a cache of virtual environments keyed by a
  project's locks and shared across runs (``~/.cache/webdev-new/venvs/<hash>``);
- fresh interpreters, environments and clones as a CI runner or a host has.

The rest of the suite's helpers live by concern: ``combos`` (which
combinations to test), ``shell`` (running commands), ``services`` (database
servers), ``servers`` (HTTP), ``deploy`` (production mode); ``testkit`` holds
what the benchmarks use too.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from combos import cli_args, combo_id
from packaging.specifiers import SpecifierSet
from packaging.version import Version
from services import run_id
from shell import file_lock, run, unavailable

from generator.catalogue import Answers
from testkit.environment import clean_env

REPO = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("WDN_CACHE_DIR", "~/.cache/webdev-new")).expanduser()
ARTIFACTS = REPO / "artifacts"

# Directory names of generated projects; the dash exercises the name -> package
# derivation (demo-site -> demo_site) in every test.
PROJECT_NAMES = {"django": "demo-site", "flask": "demo-app"}


# --------------------------------------------------------------------------
# Generating


def generate(
    answers: Answers, parent: Path, *, name: str | None = None, git: bool = False
) -> Path:
    """Generate a project with the real command line; return its directory."""
    name = name or PROJECT_NAMES[answers["framework"]]
    parent.mkdir(parents=True, exist_ok=True)
    args = [sys.executable, "-m", "generator", name, "--yes", "-o", str(parent)]
    if not git:
        args.append("--no-git")
    env = clean_env()
    # Keep git's identity out of the user's configuration.
    env.setdefault("GIT_AUTHOR_NAME", "Test")
    env.setdefault("GIT_AUTHOR_EMAIL", "test@example.com")
    env.setdefault("GIT_COMMITTER_NAME", "Test")
    env.setdefault("GIT_COMMITTER_EMAIL", "test@example.com")
    env["PYTHONPATH"] = str(REPO)
    run([*args, *cli_args(answers)], cwd=parent, env=env, timeout=120)
    project = parent / name
    assert project.is_dir(), f"the generator printed success but wrote no {project}"
    return project


class ProjectStore:
    """Generated projects shared by every worker of one test run.

    A project is generated once per set of answers (under a lock, so two
    workers never generate the same one twice) and never modified: a test that
    writes (migrations, collectstatic, a SQLite file) works on ``copy()``.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def get(self, answers: Answers, *, variant: str = "") -> Path:
        key = combo_id(answers) + (f"-{variant}" if variant else "")
        slot = self.root / key
        done = slot / ".generated"
        with file_lock(self.root / f"{key}.lock"):
            if not done.exists():
                if slot.exists():
                    shutil.rmtree(slot)
                generate(answers, slot)
                done.write_text(json.dumps(answers, default=list))
        return slot / PROJECT_NAMES[answers["framework"]]

    @staticmethod
    def copy(project: Path, dest: Path) -> Path:
        target = dest / project.name
        shutil.copytree(project, target, symlinks=True)
        return target


def read_secret_key(project: Path) -> str:
    for line in (project / ".env").read_text().splitlines():
        if line.startswith("SECRET_KEY="):
            return line.partition("=")[2].strip().strip("'\"")
    raise AssertionError(f"{project}/.env has no SECRET_KEY line")


# --------------------------------------------------------------------------
# Virtual environments, cached by dependency set


LOCKS = ("requirements.txt", "requirements-dev.txt")


def locked_requirements(project: Path) -> str:
    """The project's locks (runtime and dev) as one text: what its CI, its
    image and its hosts install, and so what its environment holds."""
    return "".join((project / name).read_text() for name in LOCKS)


def project_python(project: Path) -> Path:
    """The interpreter a project's environment is built with: the one running
    the tests when the project's ``requires-python`` allows it, else pyenv's
    newest release of the oldest version it allows (a Django 6.0 project
    needs Python 3.12; the suite may run on 3.11)."""
    declared = tomllib.loads((project / "pyproject.toml").read_text())
    allowed = SpecifierSet(declared["project"]["requires-python"])
    if allowed.contains(platform.python_version()):
        return Path(sys.executable)
    lowest = [Version(s.version) for s in allowed if s.operator in (">=", "~=", "==")]
    if not lowest:
        raise AssertionError(f"requires-python {allowed} names no lowest version")
    oldest = min(lowest)
    python = pyenv_python(f"{oldest.major}.{oldest.minor}")
    assert allowed.contains(python_version(python)), f"{python} is not {allowed}"
    return python


def python_version(python: Path) -> str:
    """The release of the interpreter ``python`` (``3.12.1``)."""
    code = "import platform; print(platform.python_version())"
    return subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


def venv_for(project: Path) -> Path:
    """A virtual environment holding exactly the project's locked dependencies
    and dev tools (but not the project itself), reused by every project with
    the same locks.  Its interpreter follows the project's ``requires-python``
    (``project_python``)."""
    python = project_python(project)
    if python == Path(sys.executable):
        version = ".".join(map(str, sys.version_info[:2]))
    else:
        version = python_version(python)
    digest = hashlib.sha256(
        json.dumps([version, str(python), locked_requirements(project)]).encode()
    ).hexdigest()[:16]
    venv = CACHE / "venvs" / digest
    ready = venv / ".ready"
    with file_lock(CACHE / "venvs" / f"{digest}.lock"):
        complete = (venv / "pyvenv.cfg").exists() and (venv / "bin/python").exists()
        if ready.exists() and complete:
            return venv
        if venv.exists():
            shutil.rmtree(venv)
        env = clean_env()
        env["UV_PYTHON_DOWNLOADS"] = "never"
        uv = [sys.executable, "-m", "uv"]
        run(
            [*uv, "venv", "--quiet", "--python", str(python), str(venv)],
            cwd=project,
            env=env,
        )
        # Hash-checking mode: every package, dependencies included, must be in
        # the lock with its hash, so an incomplete lock fails here.  Bytecode
        # is compiled once, here: commands that use the environment never
        # write any (PYTHONDONTWRITEBYTECODE), so it stays as built.
        run(
            [
                *uv,
                "pip",
                "install",
                "--quiet",
                "--require-hashes",
                "--compile-bytecode",
                "--python",
                str(venv / "bin/python"),
                "-r",
                "requirements-dev.txt",
            ],
            cwd=project,
            env=env,
            timeout=900,
        )
        (venv / "requirements.txt").write_text(locked_requirements(project))
        ready.write_text("ok\n")
    return venv


def pyenv_python(version: str) -> Path:
    """pyenv's newest interpreter of ``version`` (``3.12`` or ``3.12.1``), else
    ``python3.12`` from PATH: the Python a CI image or a host would give for
    that version."""
    answer = subprocess.run(
        ["pyenv", "root"], capture_output=True, text=True, check=False
    ).stdout.strip()
    root = Path(answer) if answer else Path("~/.pyenv").expanduser()
    pattern = re.compile(rf"{re.escape(version)}(\.\d+)?")
    found = sorted(
        (
            p
            for p in (root / "versions").glob(f"{version}*")
            if pattern.fullmatch(p.name) and (p / "bin/python3").exists()
        ),
        key=lambda p: [int(x) for x in p.name.split(".")],
    )
    if found:
        return found[-1] / "bin/python3"
    on_path = shutil.which(f"python{version}")
    if on_path and re.fullmatch(r"3\.\d+", version):
        return Path(on_path)
    unavailable(
        f"Python {version} is neither under {root}/versions nor on PATH"
        f" (pyenv install {version})"
    )
    raise AssertionError("unreachable")  # unavailable() skips or fails


def fresh_venv(version: str, where: Path) -> Path:
    """A new virtual environment of Python ``version`` at ``where``, holding
    only pip (as setup-python, a python image or a host's build gives).

    uv makes it (``--seed`` adds the current pip): ``python -m venv`` runs
    ensurepip, which byte-compiles pip and takes half a minute on a busy
    machine.
    """
    where.parent.mkdir(parents=True, exist_ok=True)
    env = clean_env(UV_PYTHON_DOWNLOADS="never")
    args = ["venv", "--quiet", "--seed", "--python", str(pyenv_python(version))]
    run([sys.executable, "-m", "uv", *args, str(where)], cwd=where.parent, env=env)
    return where


def fresh_clone(answers: Answers, workdir: Path, name: str) -> Path:
    """Generate the project as a git repository and ``git clone`` it: the
    clone holds exactly what a push would (no ``.env``, nothing ignored)."""
    source = generate(answers, workdir / "generated", name=name, git=True)
    clone = workdir / "clone" / source.name
    clone.parent.mkdir(parents=True)
    run(["git", "clone", "--quiet", str(source), str(clone)], cwd=clone.parent)
    assert not (clone / ".env").exists(), ".env is tracked by git"
    return clone


def unique_name(answers: Answers, purpose: str) -> str:
    """A project name unique to this run, combination and purpose. Generated
    files name databases after the project, so parallel tests never share
    one, and the run's final sweep (``wdn_<run id>_``) finds any left."""
    short = {"postgresql": "pg", "mysql": "my", "sqlite": "lite", "none": "nodb"}
    return "-".join(
        ["wdn", run_id(), purpose, answers["framework"], short[answers["database"]]]
    )
