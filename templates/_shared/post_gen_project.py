"""Finish a generated project: drop unchosen features' files, write .env.

Which paths belong to which feature is declared in the template's
cookiecutter.json under ``_manifest``: a list of ``{"when": {...}, "paths":
[...]}`` rules.  A rule's paths are kept only when every condition holds; a
condition is ``"key": value``, ``"key": [any, of, these]`` or, for hosting,
``"hosting.target": true``.  Paths may use ``{project_slug}``.

``.env`` is ``.env.example`` with a fresh random ``SECRET_KEY`` filled in on
its ``SECRET_KEY=`` line; it is git-ignored, so the key never gets committed.
"""

import json
import secrets
import shutil
from pathlib import Path

CONTEXT = json.loads(r"""{{ cookiecutter | jsonify }}""")


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


for rule in CONTEXT["_manifest"]:
    if not holds(rule["when"]):
        for pattern in rule["paths"]:
            path = Path(pattern.format(**CONTEXT))
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()

example = Path(".env.example")
if example.exists():
    key = secrets.token_urlsafe(50)
    text = example.read_text().replace("SECRET_KEY=", f"SECRET_KEY={key}", 1)
    Path(".env").write_text(text)
