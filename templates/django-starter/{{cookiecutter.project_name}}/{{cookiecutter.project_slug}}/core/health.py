"""Health probes for load balancers and orchestrators.

``/healthz`` says the process is up and never touches the database;
``/readyz`` says whether the services it needs answer, with 503 when one does
not.  Both are answered by a middleware placed first, before the host check
and the HTTPS redirect: probes come from inside the hosting platform, over
plain HTTP, with a host name that is not in ALLOWED_HOSTS.
"""

from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
{%- if cookiecutter.tasks == "celery" %}

from .tasks import redis_ready
{%- endif %}


def database_ready() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


# The services the site needs, by name: each check says whether one answers.
CHECKS: dict[str, Callable[[], bool]] = {
    "database": database_ready,
{%- if cookiecutter.tasks == "celery" %}
    "redis": redis_ready,
{%- endif %}
}


def readiness() -> dict[str, str]:
    """Check each service the site needs; map its name to "ok" or "unavailable"."""
    return {name: "ok" if check() else "unavailable" for name, check in CHECKS.items()}


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            if request.path == "/healthz":
                return JsonResponse({"status": "ok"})
            if request.path == "/readyz":
                checks = readiness()
                ready = all(state == "ok" for state in checks.values())
                return JsonResponse(
                    {"status": "ok" if ready else "unavailable", "checks": checks},
                    status=200 if ready else 503,
                )
        return self.get_response(request)
