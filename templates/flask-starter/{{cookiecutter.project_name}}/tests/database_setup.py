"""The database of the tests: ``TEST_DATABASE_URL`` when it is set (an empty
database: the tables are created and dropped around each test), else
in-memory SQLite.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask

from {{ cookiecutter.project_slug }}.database import database_url, db


def database_uri() -> str:
    """SQLAlchemy's URL of the database the tests use."""
    return database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"), "")


@contextmanager
def fresh_tables(app: Flask) -> Iterator[Flask]:
    """``app`` with its tables created, dropped again afterwards."""
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
    dispose(app)


def dispose(app: Flask) -> None:
    """Close the connections ``app`` holds."""
    with app.app_context():
        db.engine.dispose()
