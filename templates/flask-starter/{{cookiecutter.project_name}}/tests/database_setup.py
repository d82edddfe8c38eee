"""The database of the tests: ``TEST_DATABASE_URL`` when it is set (an empty
database: the tables are created on first use and dropped at the end of the
run), else in-memory SQLite.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask

from {{ cookiecutter.project_slug }}.database import database_url, db

#: The apps whose tables the run created, to drop at its end.
CREATED: list[Flask] = []


def database_uri() -> str:
    """SQLAlchemy's URL of the database the tests use."""
    return database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"), "")


@contextmanager
def fresh_tables(app: Flask) -> Iterator[Flask]:
    """``app`` with its tables, and no row in them.

    The tables are created the first time (after dropping what an
    interrupted run left), then emptied before each use: a delete per table
    instead of creating and dropping every table and index around each test,
    which took about a tenth of the run.
    """
    with app.app_context():
        if app in CREATED:
            with db.engine.begin() as connection:
                for table in reversed(db.metadata.sorted_tables):
                    connection.execute(table.delete())
        else:
            db.drop_all()
            db.create_all()
            CREATED.append(app)
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()


def drop_tables() -> None:
    """Drop the tables the run created, and close the connections."""
    while CREATED:
        app = CREATED.pop()
        with app.app_context():
            db.drop_all()
        dispose(app)


def dispose(app: Flask) -> None:
    """Close the connections ``app`` holds."""
    with app.app_context():
        db.engine.dispose()
