{%- set db = cookiecutter.database != "none" -%}
{%- set celery = cookiecutter.tasks == "celery" -%}
"""Health endpoints for load balancers and orchestrators.

``/healthz``: the process answers (liveness; touches nothing else).
``/readyz``: {% if db and celery %}the database and Redis are{% elif db %}the database is{% elif celery %}Redis is{% else %}the app serves requests; there is nothing else to check{% endif %}{% if db or celery %} reachable{% endif %} (readiness).
"""

{% if db or celery -%}
from flask import Blueprint, current_app
{%- else -%}
from flask import Blueprint
{%- endif %}
from flask.typing import ResponseReturnValue
{%- if celery %}
from redis import Redis
from redis.exceptions import RedisError
{%- endif %}
{%- if db %}
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db
{%- endif %}

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    return {"status": "ok"}


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
{%- if db or celery %}
    checks = {
{%- if db %}
        "database": database_ready(),
{%- endif %}
{%- if celery %}
        "redis": redis_ready(),
{%- endif %}
    }
    ready = all(checks.values())
    status = "ok" if ready else "unavailable"
    return {"status": status, "checks": checks}, 200 if ready else 503
{%- else %}
    return {"status": "ok", "checks": {}}
{%- endif %}
{%- if db %}


def database_ready() -> bool:
    try:
        db.session.execute(select(1))
    except SQLAlchemyError:
        current_app.logger.warning("Readiness: database unreachable", exc_info=True)
        return False
    return True
{%- endif %}
{%- if celery %}


def redis_ready() -> bool:
    client = Redis.from_url(
        current_app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=2
    )
    try:
        client.ping()
    except RedisError:
        current_app.logger.warning("Readiness: Redis unreachable", exc_info=True)
        return False
    finally:
        client.close()
    return True
{%- endif %}
