"""Health endpoints for load balancers and orchestrators.

``/healthz``: the process answers (liveness; touches nothing else).
``/readyz``: every service the app needs answers (readiness); ``checks`` says
which were tried and how each went.
"""

from flask import Blueprint
from flask.typing import ResponseReturnValue
{%- if cookiecutter.database != "none" or cookiecutter.tasks == "celery" %}
{% endif %}
{%- if cookiecutter.database != "none" %}
from .database import database_ready
{%- endif %}
{%- if cookiecutter.tasks == "celery" %}
from .tasks import redis_ready
{%- endif %}

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    return {"status": "ok"}


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    checks: dict[str, bool] = {}
{%- if cookiecutter.database != "none" %}
    checks["database"] = database_ready()
{%- endif %}
{%- if cookiecutter.tasks == "celery" %}
    checks["redis"] = redis_ready()
{%- endif %}
    ready = all(checks.values())
    status = "ok" if ready else "unavailable"
    return {"status": status, "checks": checks}, 200 if ready else 503
