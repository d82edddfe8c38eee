"""Finish a generated project: drop unchosen features' files, write .env.

Which paths belong to which feature is declared in the template's
cookiecutter.json under ``_manifest``: a list of ``{"when": {...}, "paths":
[...]}`` rules.  A path is kept when every condition of at least one rule that
lists it holds (so the Dockerfile can belong to both docker and fly); a
condition is ``"key": value``, ``"key": [any, of, these]`` or, for hosting,
``"hosting.target": true``.  Paths may use ``{project_slug}``.

``.env`` is ``.env.example`` with a fresh random ``SECRET_KEY`` filled in on
its ``SECRET_KEY=`` line; it is git-ignored, so the key never gets committed.
"""

import json
import secrets
import shutil
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


rules = CONTEXT["_manifest"]
keep = paths(rule for rule in rules if holds(rule["when"]))
for name in sorted(paths(rules) - keep):
    path = Path(name)
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()

example = Path(".env.example")
if example.exists():
    key = secrets.token_urlsafe(50)
    text = example.read_text().replace("SECRET_KEY=", f"SECRET_KEY={key}", 1)
    Path(".env").write_text(text)
