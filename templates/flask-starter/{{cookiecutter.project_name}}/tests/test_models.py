"""The models, and the shipped migrations that create their tables."""

import time
from typing import Any

from flask import Flask
from sqlalchemy import inspect

from {{ cookiecutter.project_slug }} import create_app
from {{ cookiecutter.project_slug }}.extensions import db
from {{ cookiecutter.project_slug }}.models import Message


def test_timestamps_are_set_per_row(app: Flask) -> None:
    with app.app_context():
        first = Message(author="Ada", body="one")
        db.session.add(first)
        db.session.commit()
        time.sleep(0.01)
        second = Message(author="Ada", body="two")
        db.session.add(second)
        db.session.commit()
        assert first.created_at < second.created_at


def test_migrations_create_the_model_tables(settings: dict[str, Any], tmp_path) -> None:
    # A file database of its own: the migrations build every table from
    # nothing, and then match the models exactly.
    url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    app = create_app({**settings, "SQLALCHEMY_DATABASE_URI": url})
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables
