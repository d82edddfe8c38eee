"""The health endpoints."""

{% if cookiecutter.tasks == "celery" -%}
import pytest
{% endif -%}
from flask.testing import FlaskClient
{%- if cookiecutter.tasks == "celery" %}
from redis import Redis


{% include "tests/redis_up.py" %}
{%- endif %}


def test_healthz(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_healthz_answers_head_without_a_body(client: FlaskClient) -> None:
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.data == b""
    assert response.headers["Content-Type"] == "application/json"


{% if cookiecutter.tasks == "celery" -%}
@pytest.mark.usefixtures("redis_up")
{% endif -%}
def test_readyz(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json is not None
    assert response.json["status"] == "ok"
