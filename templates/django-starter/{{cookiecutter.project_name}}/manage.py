#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def create_dotenv() -> None:
    """Give a project without .env (a downloaded copy) its development
    settings, with a SECRET_KEY of its own, on the first command a person types.

    Only at a terminal: a release step or a script without SECRET_KEY stops
    with the settings' one-line error instead of running in development mode.
    """
    dotenv, example = ROOT / ".env", ROOT / ".env.example"
    if dotenv.exists() or not example.exists() or os.environ.get("SECRET_KEY"):
        return
    if not sys.stdin.isatty():
        return
    text = example.read_text().replace("SECRET_KEY=", f"SECRET_KEY={secrets.token_urlsafe(50)}", 1)
    with os.fdopen(os.open(dotenv, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
        file.write(text)
    print("Created .env with a new development SECRET_KEY.", file=sys.stderr)


def main() -> None:
    """Run administrative tasks, with the development settings in .env."""
    create_dotenv()
    os.environ.setdefault("LOAD_DOTENV", "1")
{%- if cookiecutter.project_slug | length <= 36 %}
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{{ cookiecutter.project_slug }}.settings")
{%- else %}
    os.environ.setdefault(
        "DJANGO_SETTINGS_MODULE", "{{ cookiecutter.project_slug }}.settings"
    )
{%- endif %}
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
