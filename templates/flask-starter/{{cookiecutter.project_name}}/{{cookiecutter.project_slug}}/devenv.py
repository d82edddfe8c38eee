"""The development ``.env`` for a copy that has none (a downloaded project),
and ``flask run``'s reloader process, which needs no app.

The ``flask`` command reads ``.env`` before it builds the app; a copy without
one gets it on the first ``flask`` command a person types: ``.env.example``
with a ``SECRET_KEY`` of its own, readable by its owner only.  Only at a
terminal: a release step or a script without ``SECRET_KEY`` stops with the
settings' one-line error instead of running in development mode.
"""

import os
import secrets
import sys
from pathlib import Path

import click
from dotenv import load_dotenv
from flask.cli import run_command
from flask.helpers import get_debug_flag
from werkzeug.serving import is_running_from_reloader

ROOT = Path(__file__).resolve().parent.parent


def create_dotenv() -> None:
    dotenv, example = ROOT / ".env", ROOT / ".env.example"
    if dotenv.exists() or not example.exists() or os.environ.get("SECRET_KEY"):
        return
    if not sys.stdin.isatty():
        return
    key = secrets.token_urlsafe(50)
    text = example.read_text().replace("SECRET_KEY=", f"SECRET_KEY={key}", 1)
    descriptor = os.open(dotenv, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    print("Created .env with a new development SECRET_KEY.", file=sys.stderr)
    load_dotenv(dotenv)


def in_reloader_parent() -> bool:
    """Whether this process is the watcher of ``flask run --reload`` (the
    default in debug mode): it starts the process that serves, again after
    each change, and never uses an app itself.  Flask builds one there all
    the same; a bare one saves building the project's twice at each start.
    """
    context = click.get_current_context(silent=True)
    if context is None or context.command is not run_command:
        return False
    reload = context.params.get("reload")
    if reload is None:
        reload = get_debug_flag()
    return bool(reload) and not is_running_from_reloader()
