"""The templates' rules: which answers go together and which files they keep.

Each template ships its rules as data in its ``cookiecutter.json``:

- ``_rules``: which answers go together.  A rule ``{"when": {...}, "needs":
  {...}, "message": "...", "fix": {...}}`` says: when every condition of
  ``when`` holds, every condition of ``needs`` must hold too, or generation
  stops with ``message``.  ``fix`` is the answer webdev-new takes instead of
  a default that would break the rule (Flask without a database gets no
  accounts); an answer given explicitly is never fixed.
- ``_manifest``: which paths belong to which feature.  A rule ``{"when":
  {...}, "paths": [...]}`` keeps its paths when every condition holds; a path
  listed by several rules is kept when one of them holds (the Dockerfile
  serves both docker and fly); a listed path that no holding rule keeps is
  never part of the project.  Paths may use ``{project_slug}``.

A condition is ``"key": value``, ``"key": [any, of, these]`` or, for an
answer that holds several values (hosting), ``"hosting.fly": true``.

This module is the only reader of that data.  webdev-new imports it to check
answers before anything is written and to render only the kept files; plain
``cookiecutter`` runs this same file as each template's pre- and
post-generation hook (``hooks/pre_gen_project.py`` and
``hooks/post_gen_project.py`` are links to it), so both routes apply the same
rules.  A hook runs as a lone script, so this module uses the standard
library only.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import sys
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

# --------------------------------------------------------------------------
# Conditions


def answer(answers: Mapping[str, Any], key: str) -> Any:
    """The answer ``key`` names; ``hosting.fly`` is whether fly is among the
    hosting answers (a dictionary of booleans in a cookiecutter context, a
    tuple of names in webdev-new's answers)."""
    name, _, item = key.partition(".")
    value = answers[name]
    if not item:
        return value
    if isinstance(value, Mapping):
        return bool(value[item])
    if isinstance(value, (list, tuple)):
        return item in value
    raise ValueError(f"{name}: expected a choice of several values, got {value!r}")


def holds(conditions: Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
    """True when every condition holds for ``answers``."""
    return all(
        answer(answers, key) in (want if isinstance(want, list) else [want])
        for key, want in conditions.items()
    )


def keys_read(conditions: Mapping[str, Any]) -> set[str]:
    """The answers ``conditions`` read (``hosting.fly`` reads ``hosting``)."""
    return {key.partition(".")[0] for key in conditions}


def broken_rule(
    rules: Iterable[Mapping[str, Any]], answers: Mapping[str, Any]
) -> Mapping[str, Any] | None:
    """The first rule ``answers`` break, or None."""
    for rule in rules:
        if holds(rule["when"], answers) and not holds(rule["needs"], answers):
            return rule
    return None


def dropped_paths(
    manifest: Iterable[Mapping[str, Any]], answers: Mapping[str, Any]
) -> set[str]:
    """The manifest's paths that ``answers`` leave out, unformatted."""
    listed: set[str] = set()
    kept: set[str] = set()
    for rule in manifest:
        listed.update(rule["paths"])
        if holds(rule["when"], answers):
            kept.update(rule["paths"])
    return listed - kept


# --------------------------------------------------------------------------
# Templates


def templates_root() -> Path:
    """Where the templates are: ``WEBDEV_NEW_TEMPLATES`` when set (for working
    on a template), else inside the installed package, else the checkout."""
    override = os.environ.get("WEBDEV_NEW_TEMPLATES")
    if override:
        return Path(override)
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


def template_dir(framework: str) -> Path:
    return templates_root() / f"{framework}-starter"


def template_config(framework: str) -> dict[str, Any]:
    """A template's ``cookiecutter.json``: its questions, rules and manifest."""
    return json.loads((template_dir(framework) / "cookiecutter.json").read_text())


# --------------------------------------------------------------------------
# Finishing a rendered project


def remove_paths(project: Path, paths: Iterable[str]) -> None:
    """Remove each of ``paths`` (relative to ``project``) that exists."""
    for name in sorted(paths):
        path = project / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()


def canonical(requirement: str) -> str:
    """The package name a requirement string names, in its normal form."""
    found = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    if found is None:
        raise ValueError(f"not a requirement: {requirement!r}")
    return re.sub(r"[-_.]+", "-", found.group(1)).lower()


def read_lock(path: Path):
    """Map each locked package to its lines (without ``# via``) and its dependents."""
    header: list[str] = []
    blocks: dict[str, list[str]] = {}
    needed_by: dict[str, set[str]] = {}
    name = None
    for line in path.read_text().splitlines():
        if line.startswith("#") and name is None:
            header.append(line)
        elif line and not line[0].isspace() and not line.startswith("#"):
            if line.startswith("-r "):
                header.append(line)
                continue
            name = canonical(line)
            blocks[name], needed_by[name] = [line], set()
        elif name is not None and line.strip().startswith("--hash"):
            blocks[name].append(line)
        elif name is not None and line.strip().startswith("#"):
            via = re.sub(r"^via\b", "", line.strip().lstrip("#").strip()).strip()
            if via and not via.startswith("-"):  # -r FILE, -c FILE: not a package
                needed_by[name].add(canonical(via))
    return header, blocks, needed_by


def closure(direct: set[str], needed_by: Mapping[str, set[str]]) -> set[str]:
    """``direct`` and every locked package something in the set needs."""
    wanted = set(direct)
    grew = True
    while grew:
        grew = False
        for name, dependents in needed_by.items():
            if name not in wanted and dependents & wanted:
                wanted.add(name)
                grew = True
    return wanted


def write_lock(path: Path, header, blocks, names) -> None:
    lines = list(header)
    for name in blocks:
        if name in names:
            lines += blocks[name]
    path.write_text("\n".join(lines) + "\n")


def trim_locks(project: Path) -> None:
    """Cut the template's locks down to what ``pyproject.toml`` declares.

    The template's ``requirements.txt`` and ``requirements-dev.txt`` lock every
    dependency any combination of answers can declare (exact versions with
    their hashes, each followed by ``# via`` lines naming what needs it).  The
    project keeps what its own ``pyproject.toml`` declares and what those need
    in turn, so it installs exactly the versions its combination was tested
    with.
    """
    runtime_lock = project / "requirements.txt"
    dev_lock = project / "requirements-dev.txt"
    if not (runtime_lock.exists() and dev_lock.exists()):
        return
    declared = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    runtime = {canonical(r) for r in declared["dependencies"]}
    dev = {canonical(r) for r in declared["optional-dependencies"]["dev"]}
    runtime_header, runtime_blocks, runtime_needs = read_lock(runtime_lock)
    dev_header, dev_blocks, dev_needs = read_lock(dev_lock)
    in_runtime = closure(runtime, runtime_needs)
    everything = closure(runtime | dev, {**runtime_needs, **dev_needs})
    write_lock(runtime_lock, runtime_header, runtime_blocks, in_runtime)
    write_lock(
        dev_lock, dev_header, {**runtime_blocks, **dev_blocks}, everything - in_runtime
    )


#: The folder of a template's project holding the locks of other dependency
#: sets (one subfolder each, e.g. ``locks/django-6.0``: a single lock cannot
#: hold two Django releases for the same Python).  The manifest keeps at most
#: one subfolder; its locks replace the project's own before they are trimmed.
LOCK_VARIANTS = "locks"


def place_locks(project: Path) -> None:
    """Put the locks of the variant the manifest kept (if any) in place of
    the default ones, and remove the variants' folder."""
    variants = project / LOCK_VARIANTS
    if not variants.is_dir():
        return
    kept = sorted(folder for folder in variants.iterdir() if folder.is_dir())
    if len(kept) > 1:
        names = ", ".join(folder.name for folder in kept)
        raise ValueError(f"the manifest keeps several lock variants: {names}")
    for folder in kept:
        for lock in folder.iterdir():
            lock.replace(project / lock.name)
    shutil.rmtree(variants)


def write_env(project: Path) -> None:
    """``.env``: ``.env.example`` with a fresh random key on its ``SECRET_KEY=``
    line, readable by its owner only.  It is git-ignored, so the key never
    gets committed."""
    example = project / ".env.example"
    if not example.exists():
        return
    key = secrets.token_urlsafe(50)
    text = example.read_text().replace("SECRET_KEY=", f"SECRET_KEY={key}", 1)
    descriptor = os.open(project / ".env", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as env_file:
        env_file.write(text)


def finish(project: Path) -> None:
    """The steps after rendering that both routes share."""
    place_locks(project)
    trim_locks(project)
    write_env(project)


# --------------------------------------------------------------------------
# The cookiecutter hook


def hook(context: Mapping[str, Any], project: Path) -> int:
    """What plain ``cookiecutter`` runs before and after rendering.

    Before rendering the project directory is empty: a broken rule stops
    generation with one line on standard error (cookiecutter then removes
    the directory).  After rendering the rules hold again; the manifest's
    unkept paths are removed and the project is finished.
    """
    try:
        rule = broken_rule(context["_rules"], context)
    except (KeyError, ValueError) as exc:
        print(f"error: the answers do not fit this template: {exc}", file=sys.stderr)
        return 1
    if rule is not None:
        print(f"error: {rule['message']}", file=sys.stderr)
        return 1
    # An installer that byte-compiles package data (pip does) leaves
    # __pycache__ folders beside the template's files: not part of a project.
    caches = [str(p.relative_to(project)) for p in project.rglob("__pycache__")]
    remove_paths(project, caches)
    dropped = dropped_paths(context["_manifest"], context)
    remove_paths(project, [path.format(**context) for path in dropped])
    finish(project)
    return 0


if __name__ == "__main__":
    # cookiecutter renders this file with Jinja before it runs it as a hook:
    # the string below then holds the answers.
    sys.exit(hook(json.loads(r"""{{ cookiecutter | tojson }}"""), Path.cwd()))
