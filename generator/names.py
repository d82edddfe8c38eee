"""Project name rules: which directory names give a usable Python package."""

from __future__ import annotations

import keyword
import re
import sys

MAX_LENGTH = 64

# Names that would shadow a package the generated project imports (or a
# directory it already has), so ``import <name>`` would pick the wrong one.
DEPENDENCY_NAMES = frozenset(
    {
        "accounts",
        "alembic",
        "argon2",
        "babel",
        "celery",
        "click",
        "core",
        "dj_database_url",
        "django",
        "dotenv",
        "flask",
        "flask_admin",
        "flask_babel",
        "flask_login",
        "flask_migrate",
        "flask_sqlalchemy",
        "flask_wtf",
        "gunicorn",
        "itsdangerous",
        "jinja2",
        "kombu",
        "markupsafe",
        "psycopg",
        "pymysql",
        "pytest",
        "pytest_django",
        "redis",
        "ruff",
        "sqlalchemy",
        "tests",
        "werkzeug",
        "whitenoise",
        "wtforms",
    }
)

# Names that clash with a file or folder the framework's project keeps: Flask's
# instance/ (git-ignored) and migrations/ and the wsgi.py the servers import;
# Django's manage.py and collected staticfiles/ (git-ignored); and in both, the
# helper modules the tests import by name from tests/ (which pytest puts first
# on the path, so they would hide the package).
FRAMEWORK_NAMES = {
    "flask": frozenset(
        {
            "instance",
            "migrations",
            "wsgi",
            "auth_actions",
            "database_setup",
            "tasks_setup",
            "error_pages",
        }
    ),
    "django": frozenset({"manage", "staticfiles", "error_pages"}),
}

_ALLOWED = re.compile(r"[A-Za-z0-9_. -]+")


class InvalidName(ValueError):
    """A project name that cannot be used, with the reason and a suggestion."""


def package_name(name: str) -> str:
    """The Python package name derived from a directory name."""
    return re.sub(r"[-. ]", "_", name.strip()).lower()


def check(name: str, framework: str | None = None) -> str:
    """Return the package name for ``name`` or raise InvalidName saying why not.

    ``sys.stdlib_module_names`` leaves out the ``test`` package (CPython's own
    regression tests), which is installed all the same, so it is checked too.
    With ``framework``, names that clash with that framework's project layout
    are refused as well.
    """
    name = name or ""
    _check_spelling(name)
    package = package_name(name)
    _check_package(name, package, framework)
    return package


def _check_spelling(name: str) -> None:
    """A name, not a path, an option or a hidden folder; allowed characters,
    allowed length."""
    if not name.strip():
        raise InvalidName("the project name is empty; try 'mysite'")
    if name != name.strip():
        raise InvalidName(f"'{name}' starts or ends with a space; try '{name.strip()}'")
    if "/" in name or "\\" in name or name in (".", ".."):
        base = re.sub(r"[^A-Za-z0-9_]", "", name.replace("\\", "/").split("/")[-1])
        hint = f"; run it from the parent directory as '{base}'" if base else ""
        raise InvalidName(
            f"'{name}' is a path, not a name (use -o/--output-dir for where){hint}"
        )
    if name[0] in "-.":
        what = "an option" if name[0] == "-" else "a hidden directory"
        cleaned = name.lstrip("-.") or "mysite"
        raise InvalidName(
            f"'{name}' starts with '{name[0]}' and would be read as {what}; "
            f"try '{cleaned}'"
        )
    if len(name) > MAX_LENGTH:
        raise InvalidName(
            f"'{name}' is {len(name)} characters long (at most {MAX_LENGTH}); "
            f"try '{name[:MAX_LENGTH].rstrip('-_. ')}'"
        )
    if not _ALLOWED.fullmatch(name):
        cleaned = re.sub(r"[^A-Za-z0-9_]", "", name) or "mysite"
        raise InvalidName(
            f"'{name}' may only use letters, digits, '-', '_', '.' and spaces; "
            f"try '{cleaned}'"
        )


def _check_package(name: str, package: str, framework: str | None) -> None:
    """``package``, made from ``name``, is a Python package name that
    shadows nothing the project imports or holds."""
    if package[0].isdigit():
        raise InvalidName(
            f"'{name}' starts with a digit, which a Python package cannot; "
            f"try 'site_{package}'"
        )
    if not package.isidentifier() or package.strip("_") == "":
        raise InvalidName(f"'{name}' does not give a Python package name; try 'mysite'")
    if keyword.iskeyword(package) or keyword.issoftkeyword(package):
        raise InvalidName(
            f"'{package}' is a Python keyword and cannot be a package name; "
            f"try '{package}_site'"
        )
    if package in sys.stdlib_module_names or package == "test":
        raise InvalidName(
            f"'{package}' is a standard-library module and would shadow it; "
            f"try 'my_{package}'"
        )
    if package in DEPENDENCY_NAMES:
        raise InvalidName(
            f"'{package}' is the name of a package the project uses and would "
            f"shadow it; try 'my_{package}'"
        )
    if package in FRAMEWORK_NAMES.get(framework or "", ()):
        raise InvalidName(
            f"'{package}' is already the name of a file or folder in a "
            f"{framework} project; try 'my_{package}'"
        )
