"""Finish a generated project: drop unchosen features' files, write .env.

Which paths belong to which feature is declared in the template's
cookiecutter.json under ``_manifest``: a list of ``{"when": {...}, "paths":
[...]}`` rules.  A path is kept when every condition of at least one rule that
lists it holds (so the Dockerfile can belong to both docker and fly); a
condition is ``"key": value``, ``"key": [any, of, these]`` or, for hosting,
``"hosting.target": true``.  Paths may use ``{project_slug}``.

The template's ``requirements.txt`` and ``requirements-dev.txt`` lock every
dependency any combination of answers can declare (exact versions with their
hashes, each followed by ``# via`` lines naming what needs it).  They are cut
down here to what this project's ``pyproject.toml`` declares and what those
need in turn, so the project installs exactly the versions its combination was
tested with.

``.env`` is ``.env.example`` with a fresh random ``SECRET_KEY`` filled in on
its ``SECRET_KEY=`` line; it is git-ignored, so the key never gets committed.
It is readable by its owner only.
"""

import json
import os
import re
import secrets
import shutil
import tomllib
from pathlib import Path

# The answers as data; the Jinja environment's own settings are not answers.
CONTEXT = json.loads(r"""{{ dict(cookiecutter, _jinja2_env_vars=None) | jsonify }}""")


def answer(key):
    value = CONTEXT
    for part in key.split("."):
        value = value[part]
    return value


def holds(conditions):
    return all(
        answer(key) in (want if isinstance(want, list) else [want])
        for key, want in conditions.items()
    )


def paths(rules):
    return {p.format(**CONTEXT) for rule in rules for p in rule["paths"]}


# An installer that byte-compiles package data (pip does) leaves __pycache__
# folders beside the template's files; they are not part of the project.
for cache in sorted(Path(".").rglob("__pycache__")):
    shutil.rmtree(cache)

rules = CONTEXT["_manifest"]
keep = paths(rule for rule in rules if holds(rule["when"]))
for name in sorted(paths(rules) - keep):
    path = Path(name)
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()



def canonical(requirement):
    """The package name a requirement string names, in its normal form."""
    name = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement).group(1)
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(path):
    """Map each locked package to its lines (without ``# via``) and its dependents."""
    header, blocks, needed_by = [], {}, {}
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
        elif line.strip().startswith("--hash"):
            blocks[name].append(line)
        elif line.strip().startswith("#"):
            via = re.sub(r"^via\b", "", line.strip().lstrip("#").strip()).strip()
            if via and not via.startswith("-"):  # -r FILE, -c FILE: not a package
                needed_by[name].add(canonical(via))
    return header, blocks, needed_by


def closure(direct, needed_by):
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


def write_lock(path, header, blocks, names):
    lines = list(header)
    for name in blocks:
        if name in names:
            lines += blocks[name]
    path.write_text("\n".join(lines) + "\n")


runtime_lock, dev_lock = Path("requirements.txt"), Path("requirements-dev.txt")
if runtime_lock.exists() and dev_lock.exists():
    project = tomllib.loads(Path("pyproject.toml").read_text())["project"]
    runtime = {canonical(r) for r in project["dependencies"]}
    dev = {canonical(r) for r in project["optional-dependencies"]["dev"]}
    runtime_header, runtime_blocks, runtime_needs = read_lock(runtime_lock)
    dev_header, dev_blocks, dev_needs = read_lock(dev_lock)
    in_runtime = closure(runtime, runtime_needs)
    everything = closure(runtime | dev, {**runtime_needs, **dev_needs})
    write_lock(runtime_lock, runtime_header, runtime_blocks, in_runtime)
    write_lock(
        dev_lock,
        dev_header,
        {**runtime_blocks, **dev_blocks},
        everything - in_runtime,
    )

example = Path(".env.example")
if example.exists():
    key = secrets.token_urlsafe(50)
    text = example.read_text().replace("SECRET_KEY=", f"SECRET_KEY={key}", 1)
    descriptor = os.open(".env", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as env_file:
        env_file.write(text)
