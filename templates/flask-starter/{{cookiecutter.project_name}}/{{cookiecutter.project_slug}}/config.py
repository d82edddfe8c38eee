{%- set db = cookiecutter.database != "none" -%}
{%- if cookiecutter.database == "postgresql" -%}
{%- set EXAMPLE = "postgresql://user:password@host:5432/name" -%}
{%- elif cookiecutter.database == "mysql" -%}
{%- set EXAMPLE = "mysql://user:password@host:3306/name" -%}
{%- else -%}
{%- set EXAMPLE = "sqlite:////path/to/file.sqlite3" -%}
{%- endif -%}
"""Settings, read from the environment (see ``.env.example`` and README.md).

The ``flask`` command loads ``.env`` first for local work (and ``wsgi.py``
does when ``LOAD_DOTENV=1``); gunicorn in production reads only the real
environment.  Variables already set in the real environment always win.
"""

{% if db -%}
import os
{% endif -%}
import secrets
from collections.abc import Mapping, MutableMapping
from typing import Any
{%- if db %}

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
{%- endif %}
{%- if cookiecutter.auth %}

#: How passwords are hashed: werkzeug's strongest method. The tests swap in a
#: cheap one for speed.
HASH_METHOD = "scrypt"
{%- endif %}


class ConfigError(SystemExit):
    """A setting the app cannot start with.

    A ``SystemExit``, so ``flask`` commands and gunicorn stop with this one
    line instead of a traceback.
    """


def whole_number(environ: Mapping[str, str], name: str, default: int) -> int:
    try:
        return int(environ.get(name) or default)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number") from None


def flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    """A yes/no variable: 1, true, yes and on (any case) mean yes."""
    value = environ.get(name, "").strip().lower()
    return default if not value else value in {"1", "true", "yes", "on"}


def allowed_hosts(environ: Mapping[str, str]) -> list[str]:
    """ALLOWED_HOSTS (comma separated), plus the host names Render and Fly give
    a service, so a deploy answers on them without a name guessed in a file."""
    hosts = [h.strip() for h in environ.get("ALLOWED_HOSTS", "").split(",")]
    if environ.get("RENDER_EXTERNAL_HOSTNAME"):
        hosts.append(environ["RENDER_EXTERNAL_HOSTNAME"])
    if environ.get("FLY_APP_NAME"):
        hosts.append(f"{environ['FLY_APP_NAME']}.fly.dev")
    return [host for host in hosts if host]


def from_environ(environ: Mapping[str, str], debug: bool) -> dict[str, Any]:
    """The app's settings for this environment; ``debug`` is FLASK_DEBUG."""
    production = not debug
    return {
        "SECRET_KEY": environ.get("SECRET_KEY", ""),
        # Cookies travel over HTTPS only, out of reach of scripts.
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
{%- if cookiecutter.auth %}
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
{%- endif %}
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        # Outside development, plain HTTP is redirected to HTTPS (health
        # probes excepted) and only these host names are served.
        "SECURE_SSL_REDIRECT": flag(environ, "SECURE_SSL_REDIRECT", production),
        "ALLOWED_HOSTS": allowed_hosts(environ),
        # HTTP Strict Transport Security, sent outside development: a year and
        # subdomains by default; a first deploy may start with e.g. 300 s.
        "HSTS_SECONDS": (
            whole_number(environ, "SECURE_HSTS_SECONDS", 31536000) if production else 0
        ),
        "HSTS_INCLUDE_SUBDOMAINS": flag(
            environ, "SECURE_HSTS_INCLUDE_SUBDOMAINS", True
        ),
        "HSTS_PRELOAD": flag(environ, "SECURE_HSTS_PRELOAD", False),
        "FORWARDED_PROXIES": whole_number(environ, "FORWARDED_PROXIES", 0),
{%- if db %}
        "DATABASE_URL": environ.get("DATABASE_URL", ""),
{%- endif %}
{%- if cookiecutter.database in ("postgresql", "mysql") %}
        # Check a pooled connection before use: the server may have closed it
        # (a restart, an idle timeout). One round trip (about 0.1 ms) on the
        # requests that use the database, instead of an error page for the
        # first request on each stale connection.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
{%- endif %}
{%- if cookiecutter.auth %}
        "PASSWORD_HASH_METHOD": HASH_METHOD,
{%- endif %}
{%- if cookiecutter.tasks == "celery" %}
        "REDIS_URL": environ.get("REDIS_URL") or "redis://localhost:6379/0",
{%- endif %}
{%- if cookiecutter.i18n %}
        "LANGUAGES": {"en": "English", "fr": "Français"},
{%- endif %}
    }


def check(config: MutableMapping[str, Any]) -> None:
    """Refuse to start with missing or malformed settings; fill derived ones."""
    if not config.get("SECRET_KEY"):
        if not (config.get("DEBUG") or config.get("TESTING")):
            raise ConfigError(
                "SECRET_KEY is not set: set it to a long random value"
                " (or FLASK_DEBUG=1 for local development)"
            )
        # Development only: sessions last as long as this process.
        config["SECRET_KEY"] = secrets.token_urlsafe(32)
{%- if cookiecutter.tasks == "celery" %}
    config.setdefault(
        "CELERY",
        {
            "broker_url": config["REDIS_URL"],
            "broker_connection_retry_on_startup": True,
            "task_ignore_result": True,
            # Keep the app's logging (stdout, one line an event) in the worker.
            "worker_hijack_root_logger": False,
        },
    )
{%- endif %}
{%- if db %}


# Drivers this project installs, by the scheme a hosting service gives.
DRIVERS = {
    "sqlite": "sqlite",
{%- if cookiecutter.database == "postgresql" %}
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
{%- elif cookiecutter.database == "mysql" %}
    "mysql": "mysql+pymysql",
    "mariadb": "mysql+pymysql",
{%- endif %}
}


def database_url(value: str, instance_path: str) -> str:
    """SQLAlchemy's URL for DATABASE_URL; empty means SQLite in ``instance/``."""
    if not value:
        path = os.path.join(instance_path, "{{ cookiecutter.project_slug }}.sqlite3")
        return f"sqlite:///{path}"
    try:
        url = make_url(value)
    except ArgumentError:
        raise ConfigError(
            "DATABASE_URL is not a database URL (expected e.g. {{ EXAMPLE }})"
        ) from None
    scheme = url.drivername.split("+")[0]
    if scheme not in DRIVERS:
        supported = ", ".join(DRIVERS)
        raise ConfigError(
            f"DATABASE_URL: unsupported database {scheme!r} (supported: {supported})"
        )
    return url.set(drivername=DRIVERS[scheme]).render_as_string(hide_password=False)
{%- endif %}
