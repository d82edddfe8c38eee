"""Health endpoints for load balancers and orchestrators.

``/healthz``: the process answers (liveness; touches nothing else).  Platforms
ask for it every few seconds, so ``HealthCheck`` answers it in front of the
app, before WhiteNoise, the session, the host check and the HTTPS redirect:
probes come over plain HTTP with a host name of their own.  The answer still
carries the security headers every response gets.
``/readyz``: every service the app needs answers (readiness); ``checks`` says
which were tried and how each went.  A page of the app, since the checks use
its database and broker.
"""

from collections.abc import Iterable
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from flask import Blueprint, Flask
from flask.typing import ResponseReturnValue

{% if cookiecutter.database != "none" -%}
from .database import database_ready
{% endif -%}
from .security import security_headers
{%- if cookiecutter.tasks == "celery" %}
from .tasks import redis_ready
{%- endif %}

bp = Blueprint("health", __name__)

#: The answer to ``/healthz``, as Flask would send ``{"status": "ok"}``.
HEALTHZ_BODY = b'{"status":"ok"}\n'


class HealthCheck:
    """WSGI middleware: answers ``GET`` and ``HEAD /healthz`` itself and
    passes every other request on to ``wsgi_app``."""

    def __init__(self, app: Flask, wsgi_app: WSGIApplication) -> None:
        self.config = app.config
        self.wsgi_app = wsgi_app

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        if environ.get("PATH_INFO") != "/healthz" or method not in ("GET", "HEAD"):
            return self.wsgi_app(environ, start_response)
        headers = [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(HEALTHZ_BODY))),
            *security_headers(self.config),
        ]
        start_response("200 OK", headers)
        return [HEALTHZ_BODY] if method == "GET" else []


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
