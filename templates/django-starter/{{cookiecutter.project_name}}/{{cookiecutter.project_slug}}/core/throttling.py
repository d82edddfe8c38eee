"""Throttling: how often one client may post the forms that cost something.

Failed logins (the site's and the admin's) are counted by django-axes, set
up in settings.py; the other forms are limited here with django-ratelimit.
Both answer 429 beyond their limit; where they keep count is set in
settings.py (Throttling).

https://django-axes.readthedocs.io/
https://django-ratelimit.readthedocs.io/
"""

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django_ratelimit.decorators import ratelimit

View = TypeVar("View", bound=Callable[..., HttpResponseBase])

#: Posts one client address may make per hour, by form.
RATES = {
    "contact": "5/h",
{%- if cookiecutter.auth %}
{% include "throttling/account_rates.py" %}
{%- endif %}
}


def client_ip(request: HttpRequest) -> str:
    """The address of the client, as the outermost trusted proxy saw it.

    With FORWARDED_PROXIES = 0 it is the peer's address. Behind N proxies
    (a platform's router), each appends the address it received from to
    X-Forwarded-For; the N-th entry from the right is the one the first
    trusted proxy saw, and anything left of it may be forged by the client.
    """
    proxies: int = settings.FORWARDED_PROXIES
    if proxies:
        forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


def login_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The account a login attempt is for, as django-axes counts it: the
    address in lower case, so that changing its case does not start afresh."""
    name = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(name).strip().lower()


def posted_email(group: str, request: HttpRequest) -> str:
    """A ratelimit key: the email address a form was posted with."""
    return request.POST.get("email", "").strip().lower()


def limit_posts(
    group: str, key: str | Callable[[str, HttpRequest], str] = "ip"
) -> Callable[[View], View]:
    """Refuse a view's POSTs beyond ``RATES[group]`` per ``key`` (the
    client's address by default) with 429."""
    decorator = ratelimit(group=group, key=key, rate=RATES[group], method="POST")
    return cast(Callable[[View], View], decorator)


def too_many_requests(request: HttpRequest, exception: Exception) -> HttpResponse:
    """django-ratelimit's RATELIMIT_VIEW: an empty 429, which
    ErrorPageMiddleware gives the site's error page."""
    return HttpResponse(status=429)
