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

from generator import render, rules

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


def lock_pairs() -> list[tuple[str, str, dict, Path]]:
    """Every lock pair the templates ship: framework, name, the manifest's
    conditions that keep it (none for the default pair, which serves every
    combination no other pair claims) and its folder."""
    pairs = []
    for framework in ("django", "flask"):
        project = render.template_dir(framework) / render.PROJECT_ROOT
        for rule in rules.template_config(framework)["_manifest"]:
            for path in rule["paths"]:
                if path.startswith(f"{rules.LOCK_VARIANTS}/"):
                    pairs.append(
                        (framework, Path(path).name, rule["when"], project / path)
                    )
        pairs.append((framework, "default", {}, project))
    return pairs


def served_by(framework: str, answers: dict) -> str:
    """The name of the lock pair a combination of ``framework`` installs from."""
    for pair_framework, name, when, _ in lock_pairs():
        if pair_framework == framework and when and rules.holds(when, answers):
            return name
    return "default"


@pytest.mark.parametrize(
    ("framework", "name", "when", "folder"),
    lock_pairs(),
    ids=[f"{pair[0]}-{pair[1]}" for pair in lock_pairs()],
)
def test_every_locked_package_is_used_by_some_combination(
    framework, name, when, folder, store
):
    """A package no combination keeps is left over from an old refresh; each
    lock pair is the one its combinations install from."""
    shipped = {lock: set(pins(folder / lock)) for lock in projects.LOCKS}
    used: dict[str, set[str]] = {lock: set() for lock in projects.LOCKS}
    served = [
        answers
        for answers in combos.code_combinations(framework)
        if served_by(framework, answers) == name
    ]
    assert served, f"no combination installs from {folder}"
    for answers in served:
        project = store.get(answers)
        for lock in projects.LOCKS:
            locked = pins(project / lock)
            used[lock] |= set(locked)
            # The project's versions are this pair's (not another pair's).
            both = {
                **pins(folder / "requirements.txt"),
                **pins(folder / "requirements-dev.txt"),
            }
            assert {k: both.get(k) for k in locked} == locked, (lock, answers)
    assert used["requirements.txt"] == shipped["requirements.txt"]
    # A runtime package that only a dev tool needs in some project moves to
    # that project's requirements-dev.txt.
    assert used["requirements-dev.txt"] <= (
        shipped["requirements-dev.txt"] | shipped["requirements.txt"]
    )
    assert shipped["requirements-dev.txt"] <= used["requirements-dev.txt"]


def test_a_project_holds_no_other_lock_pair(store):
    """The lock variants' folder never reaches a project: the kept pair has
    replaced the project's own locks."""
    for framework in ("django", "flask"):
        for answers in combos.code_combinations(framework):
            project = store.get(answers)
            assert not (project / rules.LOCK_VARIANTS).exists(), combos.combo_id(
                answers
            )
