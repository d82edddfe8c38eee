{%- set db = cookiecutter.database != "none" -%}
"""Settings from the environment, and refusing to start without them."""

{% if db -%}
from pathlib import Path

{% endif -%}
import pytest

from {{ cookiecutter.project_slug }} import create_app
from {{ cookiecutter.project_slug }}.config import ConfigError
{%- if db %}
from {{ cookiecutter.project_slug }}.database import database_url
{%- endif %}


def test_testing_flag() -> None:
    assert not create_app({"SECRET_KEY": "x"}).testing
    assert create_app({"SECRET_KEY": "x", "TESTING": True}).testing


def test_secret_key_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert create_app().secret_key == "from-the-environment"


@pytest.mark.parametrize("value", [None, ""])
def test_production_needs_secret_key(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", value)
    with pytest.raises(ConfigError, match="SECRET_KEY") as error:
        create_app()
    assert "\n" not in str(error.value)


def test_debug_runs_without_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app = create_app()
    assert app.debug
    assert app.secret_key


def test_bad_forwarded_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORWARDED_PROXIES", "some")
    with pytest.raises(ConfigError, match="FORWARDED_PROXIES"):
        create_app({"SECRET_KEY": "x"})
{%- if db %}


def test_default_database_is_sqlite_in_instance_folder(tmp_path: Path) -> None:
    url = database_url("", str(tmp_path))
    assert url == f"sqlite:///{tmp_path}/{{ cookiecutter.project_slug }}.sqlite3"
{%- if cookiecutter.database == "postgresql" %}


@pytest.mark.parametrize(
    "value",
    [
        "postgres://user:secret@db.example:5432/app",
        "postgresql://user:secret@db.example:5432/app",
    ],
)
def test_database_url_uses_psycopg(value: str) -> None:
    url = database_url(value, "")
    assert url == "postgresql+psycopg://user:secret@db.example:5432/app"
{%- elif cookiecutter.database == "mysql" %}


def test_database_url_uses_pymysql() -> None:
    url = database_url("mysql://root:secret@db.example:3306/app", "")
    assert url == "mysql+pymysql://root:secret@db.example:3306/app"
{%- endif %}


@pytest.mark.parametrize("value", ["not a url", "nosuchdb://host/name"])
def test_bad_database_url(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("DATABASE_URL", value)
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        create_app({"SECRET_KEY": "x"})
{%- endif %}
