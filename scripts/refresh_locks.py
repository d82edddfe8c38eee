"""Refresh the templates' dependency locks from the package index.

Each template ships ``requirements.txt`` (runtime) and ``requirements-dev.txt``
(the dev tools, on top of ``-r requirements.txt``): exact versions with their
hashes for every dependency that any combination of answers declares, resolved
together so that one combination never gets a version another did not.  After
rendering, each project keeps only what its ``pyproject.toml`` needs
(``generator/rules.py``).

This is the only step that uses the network.  After it, run the test suite: the
matrix installs every combination from the new locks and proves them, and
``tests/test_locks.py`` fails while a template's declared dependencies and its
locks disagree.

    python scripts/refresh_locks.py            # both templates
    python scripts/refresh_locks.py flask      # one
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator import catalogue, render  # noqa: E402

#: The oldest Python a generated project supports; the lock is universal
#: (markers cover newer versions and every platform).
PYTHON = render.shared_versions().python_oldest

HEADER = """\
# Exact versions of the dependencies declared in pyproject.toml, with their
# hashes: the set webdev-new tested for this project.  Every install path
# (README, Dockerfile, CI, hosts) installs from this file.
# After changing dependencies in pyproject.toml, lock them again with uv:
#   uv pip compile pyproject.toml --universal --generate-hashes -o requirements.txt
#   uv pip compile pyproject.toml --extra dev --universal --generate-hashes \\
#     -c requirements.txt -o requirements-dev.txt"""


def declared(framework: str) -> tuple[list[str], list[str]]:
    """Every runtime and dev requirement any combination of ``framework`` declares."""
    runtime: set[str] = set()
    dev: set[str] = set()
    for answers in catalogue.code_matrix(framework):
        with tempfile.TemporaryDirectory() as scratch:
            project = render.render_tree(
                framework, "lockdemo", "lockdemo", answers, Path(scratch)
            )
            data = tomllib.loads((project / "pyproject.toml").read_text())
        runtime.update(data["project"]["dependencies"])
        dev.update(data["project"]["optional-dependencies"]["dev"])
    return sorted(runtime), sorted(dev)


def compile_lock(work: Path, inputs: list[str], output: str, constraints: str) -> None:
    """Run uv in ``work`` on files named relative to it, so the ``# via``
    lines name ``runtime.in`` / ``dev.in`` rather than a temporary path."""
    command = [
        sys.executable,
        "-m",
        "uv",
        "pip",
        "compile",
        "--quiet",
        "--universal",
        # One version of each package for every Python version: a lock holds
        # one entry per package (the generator trims it by package name).
        "--fork-strategy",
        "fewest",
        "--generate-hashes",
        "--no-header",
        "--python-version",
        PYTHON,
        *inputs,
        "-o",
        output,
    ]
    if constraints:
        command += ["-c", constraints]
    subprocess.run(command, check=True, cwd=work)


def blocks(text: str) -> dict[str, list[str]]:
    """Split a lock into one list of lines per package (pin, hashes, via)."""
    found: dict[str, list[str]] = {}
    name = ""
    for line in text.splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            name = re.split(r"[=;\s\[]", line, maxsplit=1)[0].lower()
            found[name] = [line]
        elif name:
            found[name].append(line)
    return found


def pins(lock: Path) -> str:
    """The lock's pins without hashes, for use as constraints."""
    return "\n".join(
        block[0].rstrip(" \\") for block in blocks(lock.read_text()).values()
    )


def refresh(framework: str) -> None:
    runtime, dev = declared(framework)
    target = render.template_dir(framework) / "{{cookiecutter.project_name}}"
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        (work / "runtime.in").write_text("\n".join(runtime) + "\n")
        (work / "dev.in").write_text("\n".join(dev) + "\n")
        compile_lock(work, ["runtime.in"], "runtime.txt", "")
        (work / "pins.txt").write_text(pins(work / "runtime.txt") + "\n")
        compile_lock(work, ["runtime.in", "dev.in"], "all.txt", "pins.txt")
        runtime_blocks = blocks((work / "runtime.txt").read_text())
        all_blocks = blocks((work / "all.txt").read_text())
    for name, block in runtime_blocks.items():
        if name not in all_blocks or all_blocks[name][0] != block[0]:
            raise SystemExit(f"{framework}: {name} resolved differently with dev tools")
    dev_lines = [
        line
        for name, block in all_blocks.items()
        if name not in runtime_blocks
        for line in block
    ]
    # A runtime package's "via" lines come from the lock with the dev tools, so
    # they also name the dev tools that need it (pytest needs packaging even
    # where no runtime package does).
    runtime_lines = [line for name in runtime_blocks for line in all_blocks[name]]
    (target / "requirements.txt").write_text("\n".join([HEADER, *runtime_lines]) + "\n")
    (target / "requirements-dev.txt").write_text(
        "\n".join([HEADER, "-r requirements.txt", *dev_lines]) + "\n"
    )
    print(
        f"{framework}: {len(runtime_blocks)} runtime and "
        f"{len(all_blocks) - len(runtime_blocks)} dev packages locked"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "frameworks",
        nargs="*",
        metavar="FRAMEWORK",
        help="django, flask (default: both)",
    )
    args = parser.parse_args()
    for framework in args.frameworks:
        if framework not in catalogue.FRAMEWORKS:
            parser.error(f"unknown framework {framework!r}")
    for framework in args.frameworks or catalogue.FRAMEWORKS:
        refresh(framework)


if __name__ == "__main__":
    main()
