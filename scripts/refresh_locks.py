"""Refresh the templates' dependency locks from the package index.

Each template ships ``requirements.txt`` (runtime) and ``requirements-dev.txt``
(the dev tools, on top of ``-r requirements.txt``): exact versions with their
hashes for every dependency that any combination of answers declares, resolved
together so that one combination never gets a version another did not.  After
rendering, each project keeps only what its ``pyproject.toml`` needs
(``generator/rules.py``).

A template may ship more lock pairs for answers one lock cannot serve (a
single lock holds one Django release for a given Python): each is a folder
under ``locks/`` that the template's manifest keeps for those answers (e.g.
``locks/django-6.0`` when ``django_version`` is 6.0), resolved from the
combinations it serves for the oldest Python their ``requires-python``
allows.  Existing pins are kept where they still fit (uv prefers the
versions of the lock it rewrites); a new variant starts from the default
lock's pins.

This is the only step that uses the network.  After it, run the test suite: the
matrix installs every combination from the new locks and proves them, and
``tests/test_locks.py`` fails while a template's declared dependencies and its
locks disagree.

    python scripts/refresh_locks.py            # both templates
    python scripts/refresh_locks.py flask      # one
    python scripts/refresh_locks.py django --variant django-6.0   # one lock pair
    python scripts/refresh_locks.py --upgrade  # newest versions, pins not kept
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

from generator import catalogue, render, rules  # noqa: E402

#: The name ``--variant`` gives the template's own lock pair.
DEFAULT = "default"

HEADER = """\
# Exact versions of the dependencies declared in pyproject.toml, with their
# hashes: the set webdev-new tested for this project.  Every install path
# (README, Dockerfile, CI, hosts) installs from this file.
# After changing dependencies in pyproject.toml, lock them again with uv:
#   uv pip compile pyproject.toml --universal --generate-hashes -o requirements.txt
#   uv pip compile pyproject.toml --extra dev --universal --generate-hashes \\
#     -c requirements.txt -o requirements-dev.txt"""


def variants(framework: str) -> dict[str, tuple[dict, Path]]:
    """Each lock pair of a template: its name, the manifest's conditions that
    keep it and its folder.  The default pair (the project's own locks) holds
    for every combination no other pair claims."""
    project = render.template_dir(framework) / render.PROJECT_ROOT
    found: dict[str, tuple[dict, Path]] = {}
    for rule in rules.template_config(framework)["_manifest"]:
        for path in rule["paths"]:
            if path.startswith(f"{rules.LOCK_VARIANTS}/"):
                found[Path(path).name] = (rule["when"], project / path)
    found[DEFAULT] = ({}, project)
    return found


def variant_of(framework: str, answers: catalogue.Answers) -> str:
    for name, (when, _) in variants(framework).items():
        if name != DEFAULT and rules.holds(when, answers):
            return name
    return DEFAULT


def declared(framework: str, variant: str) -> tuple[list[str], list[str], str]:
    """Every runtime and dev requirement the combinations of ``framework``
    served by the lock pair ``variant`` declare, and the oldest Python they
    support (the lock is universal: markers cover newer versions and every
    platform)."""
    runtime: set[str] = set()
    dev: set[str] = set()
    pythons: set[str] = set()
    for answers in catalogue.code_matrix(framework):
        if variant_of(framework, answers) != variant:
            continue
        with tempfile.TemporaryDirectory() as scratch:
            project = render.render_tree(
                framework, "lockdemo", "lockdemo", answers, Path(scratch)
            )
            data = tomllib.loads((project / "pyproject.toml").read_text())
        runtime.update(data["project"]["dependencies"])
        dev.update(data["project"]["optional-dependencies"]["dev"])
        pythons.add(data["project"]["requires-python"].removeprefix(">="))
    if len(pythons) != 1:
        raise SystemExit(f"{framework} {variant}: requires-python differs: {pythons}")
    return sorted(runtime), sorted(dev), pythons.pop()


def compile_lock(
    work: Path, inputs: list[str], output: str, constraints: str, python: str
) -> None:
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
        python,
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


def seed(work: Path, source: Path) -> None:
    """Put the pins of the locks in ``source`` where uv writes its output, so
    it keeps them where they still fit."""
    runtime = (source / "requirements.txt").read_text()
    dev = (source / "requirements-dev.txt").read_text()
    (work / "runtime.txt").write_text(runtime)
    (work / "all.txt").write_text(runtime + dev.replace("-r requirements.txt\n", ""))


def refresh(framework: str, variant: str, *, upgrade: bool = False) -> None:
    runtime, dev, python = declared(framework, variant)
    target = variants(framework)[variant][1]
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        existing = target if (target / "requirements.txt").exists() else None
        if not upgrade:
            seed(work, existing or variants(framework)[DEFAULT][1])
        (work / "runtime.in").write_text("\n".join(runtime) + "\n")
        (work / "dev.in").write_text("\n".join(dev) + "\n")
        compile_lock(work, ["runtime.in"], "runtime.txt", "", python)
        (work / "pins.txt").write_text(pins(work / "runtime.txt") + "\n")
        compile_lock(work, ["runtime.in", "dev.in"], "all.txt", "pins.txt", python)
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
    target.mkdir(parents=True, exist_ok=True)
    (target / "requirements.txt").write_text("\n".join([HEADER, *runtime_lines]) + "\n")
    (target / "requirements-dev.txt").write_text(
        "\n".join([HEADER, "-r requirements.txt", *dev_lines]) + "\n"
    )
    print(
        f"{framework} ({variant}, Python {python}): {len(runtime_blocks)} runtime and "
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
    parser.add_argument(
        "--variant",
        help=f"only this lock pair ('{DEFAULT}', or a folder under locks/)",
    )
    parser.add_argument(
        "--upgrade",
        action="store_true",
        help="take the newest versions allowed instead of keeping existing pins",
    )
    args = parser.parse_args()
    for framework in args.frameworks:
        if framework not in catalogue.FRAMEWORKS:
            parser.error(f"unknown framework {framework!r}")
    for framework in args.frameworks or catalogue.FRAMEWORKS:
        names = list(variants(framework))
        if args.variant and args.variant not in names:
            parser.error(f"{framework} has no lock pair {args.variant!r} ({names})")
        for variant in [args.variant] if args.variant else names:
            refresh(framework, variant, upgrade=args.upgrade)


if __name__ == "__main__":
    main()
