"""DATABASE_URL, and the readiness check of the database."""

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.engine import make_url

from {{ cookiecutter.project_slug }} import create_app
from {{ cookiecutter.project_slug }}.config import ConfigError
from {{ cookiecutter.project_slug }}.database import DRIVERS, database_url


def test_default_database_is_sqlite_in_instance_folder(tmp_path: Path) -> None:
    url = database_url("", str(tmp_path))
    assert url == f"sqlite:///{tmp_path}/{{ cookiecutter.project_slug }}.sqlite3"


def test_database_url_gets_an_installed_driver() -> None:
    """Each scheme a host may give (postgres:// too) gets a driver this
    project installs, and the rest of the URL is kept."""
    for scheme, driver in DRIVERS.items():
        url = make_url(database_url(f"{scheme}://user:secret@db.example:1234/app", ""))
        assert url.drivername == driver
        assert (url.username, url.password, url.host, url.port) == (
            "user",
            "secret",
            "db.example",
            1234,
        )
        url.get_dialect().import_dbapi()


@pytest.mark.parametrize("value", ["not a url", "nosuchdb://host/name"])
def test_bad_database_url(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("DATABASE_URL", value)
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        create_app({"SECRET_KEY": "x"})


@pytest.fixture(scope="module")
def missing_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of a SQLite file in a folder that does not exist."""
    missing = tmp_path_factory.mktemp("database") / "missing" / "db.sqlite3"
    return f"sqlite:///{missing}"


def test_readyz_without_database(
    app_with: Callable[..., Flask], missing_database: str
) -> None:
    app = app_with(SQLALCHEMY_DATABASE_URI=missing_database)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json is not None
    assert response.json["checks"]["database"] is False


def test_healthz_does_not_touch_the_database(
    app_with: Callable[..., Flask], missing_database: str
) -> None:
    app = app_with(SQLALCHEMY_DATABASE_URI=missing_database)
    assert app.test_client().get("/healthz").status_code == 200


def test_flask_db_binds_the_migrations_when_it_runs(
    make_app: Callable[..., Flask],
) -> None:
    """Outside the tests, Flask-Migrate is loaded by a ``flask db`` command
    only, and its commands find the project's migrations."""
    app = make_app(TESTING=False)
    assert "migrate" not in app.extensions
    result = app.test_cli_runner().invoke(args=["db", "heads"])
    assert result.exit_code == 0, result.output
    migrations = Path(app.extensions["migrate"].directory)
    assert migrations == Path(app.root_path).parent / "migrations"
