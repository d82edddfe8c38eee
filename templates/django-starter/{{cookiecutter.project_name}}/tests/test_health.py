from typing import NoReturn

import pytest
from django.db import OperationalError
from django.test import Client
from pytest_django import Settings

from {{ cookiecutter.project_slug }}.core import health


class UnreachableDatabase:
    def cursor(self) -> NoReturn:
        raise OperationalError("could not connect to server")


# No django_db mark: if /healthz touched the database, this test would fail.
def test_healthz_answers_without_the_database(client: Client, settings: Settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
{%- if cookiecutter.tasks == "celery" %}
def test_readyz_when_services_answer(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
{%- else %}
def test_readyz_when_services_answer(client: Client) -> None:
{%- endif %}
{%- if cookiecutter.tasks == "celery" %}
    monkeypatch.setattr(health, "redis_ready", lambda: True)
{%- endif %}
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def test_readyz_503_when_database_is_down(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "connection", UnreachableDatabase())
{%- if cookiecutter.tasks == "celery" %}
    monkeypatch.setattr(health, "redis_ready", lambda: True)
{%- endif %}
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"
{%- if cookiecutter.tasks == "celery" %}


def test_readyz_503_when_redis_is_down(
    client: Client, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    monkeypatch.setattr(health, "database_ready", lambda: True)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "unavailable"
{%- endif %}
