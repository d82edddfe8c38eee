"""Throttling of API writes, beside the site's own limits (core/throttling.py).

Each account (or, before authentication, each client address as the site
counts it) may make API_WRITE_RATE writes; the counts are kept in the
cache, like the site's. Beyond it the API answers 429 with a JSON body and
a Retry-After header.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from ..core.throttling import client_ip

if TYPE_CHECKING:
    # REST framework imports this module while rest_framework.views loads.
    from rest_framework.views import APIView

#: The methods that change data.
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class WriteRateThrottle(SimpleRateThrottle):
    scope = "api_write"

    def get_rate(self) -> str:
        rate: str = settings.API_WRITE_RATE
        return rate

    def get_cache_key(self, request: Request, view: "APIView") -> str | None:
        if request.method not in WRITES:
            return None
        if request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"ip:{client_ip(request._request)}"
        return f"throttle_{self.scope}_{ident}"
