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


@pytest.fixture
def other_services_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every service but the database reports itself up: these tests are about
    the database, whatever else the site needs."""
    for name in health.CHECKS:
        if name != "database":
            monkeypatch.setitem(health.CHECKS, name, lambda: True)


@pytest.mark.django_db
@pytest.mark.usefixtures("other_services_up")
def test_readyz_when_services_answer(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.usefixtures("other_services_up")
def test_readyz_503_when_database_is_down(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "connection", UnreachableDatabase())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"
