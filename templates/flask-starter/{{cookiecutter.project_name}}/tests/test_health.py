{%- set db = cookiecutter.database != "none" -%}
{%- set celery = cookiecutter.tasks == "celery" -%}
"""The health endpoints."""

{% if db -%}
from collections.abc import Callable
from pathlib import Path

{% elif celery -%}
from collections.abc import Callable

{% endif -%}
{% if celery -%}
import pytest
{% endif -%}
{% if db or celery -%}
from flask import Flask
{% endif -%}
from flask.testing import FlaskClient
{%- if celery %}
from redis import Redis
{%- endif %}
{%- if celery %}


@pytest.fixture
def redis_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """Redis answers (no server needed)."""
    monkeypatch.setattr(Redis, "ping", lambda self: True)
{%- endif %}


def test_healthz(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


{% if celery -%}
@pytest.mark.usefixtures("redis_up")
{% endif -%}
def test_readyz(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json is not None
    assert response.json["status"] == "ok"
{%- if db %}


def test_readyz_without_database(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    missing = tmp_path / "missing" / "db.sqlite3"
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{missing}")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json is not None
    assert response.json["checks"]["database"] is False


def test_healthz_does_not_touch_the_database(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    missing = tmp_path / "missing" / "db.sqlite3"
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{missing}")
    assert app.test_client().get("/healthz").status_code == 200
{%- endif %}
{%- if celery %}


def test_readyz_without_redis(make_app: Callable[..., Flask]) -> None:
    # Nothing listens on port 1: the connection is refused at once.
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json is not None
    assert response.json["checks"]["redis"] is False
{%- endif %}
