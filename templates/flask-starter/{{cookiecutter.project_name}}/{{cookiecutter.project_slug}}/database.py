{#- Plain cookiecutter renders this file for every answer before its hook
    removes it, so the lookup needs a default. -#}
{%- set EXAMPLE = {
    "postgresql": "postgresql://user:password@host:5432/name",
    "mysql": "mysql://user:password@host:3306/name",
}.get(cookiecutter.database, "sqlite:////path/to/file.sqlite3") -%}
"""The database: SQLAlchemy for the models, Flask-Migrate (Alembic) for the
migrations in ``migrations/``, and the readiness check.

``DATABASE_URL`` (see ``.env.example``) names the database; empty means a
SQLite file in the instance folder.
"""

import os
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import ScriptInfo
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase

from .config import ConfigError


class Base(DeclarativeBase):
    """Base of the models.

    Constraints get predictable names, so migrations can drop or alter them on
    every database (SQLite batch mode needs names too).
    """

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)

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


def init_app(app: Flask) -> None:
    """Bind the database and the migrations to ``app``."""
    app.config.setdefault("DATABASE_URL", os.environ.get("DATABASE_URL", ""))
{%- if cookiecutter.database in ("postgresql", "mysql") %}
{% include "database/pool_pre_ping.py" %}
{%- endif %}
    app.config.setdefault(
        "SQLALCHEMY_DATABASE_URI",
        database_url(app.config["DATABASE_URL"], app.instance_path),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    # Every table in the metadata, whichever pages use them (the migrations
    # are checked against it).
    from . import api_models, models, users  # noqa: F401

    if app.testing:
        init_migrations(app)
    else:
        app.cli.add_command(MigrationCommands())


class MigrationCommands(click.Group):
    """``flask db``: Flask-Migrate's commands, bound when one of them runs.

    Flask-Migrate loads Alembic: about 0.2 s and 11 MB that every other
    ``flask`` command (``flask run`` among them) and every process of the web
    server would spend without ever using it.
    """

    def __init__(self) -> None:
        super().__init__("db", help="Perform database migrations (Flask-Migrate).")

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        context = parent or click.get_current_context()
        app = context.ensure_object(ScriptInfo).load_app()
        init_migrations(app)  # replaces this group with Flask-Migrate's own
        commands = app.cli.get_command(context, "db")
        if commands is None or commands is self:
            raise click.ClickException("Flask-Migrate did not add its commands")
        return commands.make_context(info_name, args, parent, **extra)


def init_migrations(app: Flask) -> None:
    """Bind Flask-Migrate, which ``flask db`` (and the tests) use."""
    from flask_migrate import Migrate

    Migrate(
        app,
        db,
        directory=str(Path(app.root_path).parent / "migrations"),
        # SQLite cannot alter tables in place; batch mode copies them.
        render_as_batch=app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"),
    )


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


def database_ready() -> bool:
    try:
        db.session.execute(select(1))
    except SQLAlchemyError:
        current_app.logger.warning("Readiness: database unreachable", exc_info=True)
        return False
    return True
