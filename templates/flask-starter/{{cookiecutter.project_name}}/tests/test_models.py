"""The models, and the shipped migrations that create their tables."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from {{ cookiecutter.project_slug }}.database import db
from {{ cookiecutter.project_slug }}.models import Message
from {{ cookiecutter.project_slug }}.users import User


def test_timestamps_are_set_per_row(app: Flask) -> None:
    # A callable default runs at each insert (a value would be fixed at import).
    assert Message.__table__.c.created_at.default.is_callable
    with app.app_context():
        message = Message(author="Ada", body="Hello")
        db.session.add(message)
        db.session.commit()
        created = message.created_at
    if created.tzinfo is None:
        # SQLite and MySQL give back the UTC time without its zone.
        created = created.replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - created) < timedelta(minutes=1)


def test_migrations_match_the_models(make_app: Callable[..., Flask]) -> None:
    # A database of its own (in memory: its tables need no disk): the
    # migrations build every table from nothing, match the models exactly,
    # and undo cleanly.
    app = make_app(SQLALCHEMY_DATABASE_URI="sqlite://")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables
    result = runner.invoke(args=["db", "downgrade", "base"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert not set(db.metadata.tables) & tables


def test_emails_differing_by_case_are_refused_by_the_database(app: Flask) -> None:
    with app.app_context():
        db.session.add(User(email="ada@example.com", password_hash="x"))
        db.session.commit()
        db.session.add(User(email="ADA@example.com", password_hash="x"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        assert db.session.scalars(select(User.email)).all() == ["ada@example.com"]
