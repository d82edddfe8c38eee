"""Each generated project's locks agree with what its pyproject.toml declares.

The locks ship with the templates (``scripts/refresh_locks.py`` writes them);
these tests fail when a template's declared dependencies change without the
locks being refreshed, so the versions the matrix proves are the versions
users install.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import combos
import projects
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from generator import render

COMBOS = combos.code_combinations("django") + combos.code_combinations("flask")


def pins(lock: Path) -> dict[str, str]:
    """Package -> pinned version, from a lock in pip's hash-checking format."""
    found = {}
    for line in lock.read_text().splitlines():
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
        if match:
            found[canonicalize_name(match[1])] = match[2]
    return found


def check_declared(requirements: list[str], locked: dict[str, str]) -> list[str]:
    problems = []
    for text in requirements:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        if name not in locked:
            problems.append(f"{text}: not in the lock")
        elif not requirement.specifier.contains(locked[name], prereleases=True):
            problems.append(f"{text}: the lock has {locked[name]}")
    return problems


@pytest.mark.parametrize("answers", COMBOS, ids=combos.combo_id)
def test_locks_satisfy_the_declared_dependencies(answers, store):
    project = store.get(answers)
    declared = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    runtime = pins(project / "requirements.txt")
    dev = pins(project / "requirements-dev.txt")
    assert not set(runtime) & set(dev), "a package is locked twice"
    assert "-r requirements.txt" in (project / "requirements-dev.txt").read_text()
    problems = check_declared(declared["dependencies"], runtime)
    problems += check_declared(
        declared["optional-dependencies"]["dev"], {**runtime, **dev}
    )
    assert problems == [], problems
    for lock in projects.LOCKS:
        for line in (project / lock).read_text().splitlines():
            if "==" in line:
                assert line.endswith("\\"), f"{lock}: {line} has no hash"


@pytest.mark.parametrize("framework", ["django", "flask"])
def test_every_locked_package_is_used_by_some_combination(framework, store):
    """A package no combination keeps is left over from an old refresh."""
    template = render.template_dir(framework) / "{{cookiecutter.project_name}}"
    shipped = {lock: set(pins(template / lock)) for lock in projects.LOCKS}
    used: dict[str, set[str]] = {lock: set() for lock in projects.LOCKS}
    for answers in combos.code_combinations(framework):
        project = store.get(answers)
        for lock in projects.LOCKS:
            used[lock] |= set(pins(project / lock))
    assert used["requirements.txt"] == shipped["requirements.txt"]
    # A runtime package that only a dev tool needs in some project moves to
    # that project's requirements-dev.txt.
    assert used["requirements-dev.txt"] <= (
        shipped["requirements-dev.txt"] | shipped["requirements.txt"]
    )
    assert shipped["requirements-dev.txt"] <= used["requirements-dev.txt"]
