"""Security headers on every response, the host allow-list and the HTTPS
redirect.

The Content-Security-Policy allows scripts, styles and images from this site
only: the pages use no inline script or style, and a page that must gets a
nonce for it from ``script_nonce()``.  Outside development a request
for a host name not in ``ALLOWED_HOSTS`` gets 400 (so a forged ``Host`` or
``X-Forwarded-Host`` never reaches a link or a redirect), and plain HTTP is
redirected to HTTPS.  The health probes are exempt from both: platforms send
them over plain HTTP with a host name of their own.
"""

import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, abort, g, redirect, request
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import Headers
from werkzeug.sansio.utils import host_is_trusted

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

#: Sent with every response, whatever it is.
FIXED_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)


def add_missing(headers: Headers, wanted: list[tuple[str, str]]) -> None:
    """Add each of ``wanted`` that the response does not set itself: one pass
    over its headers, where ``setdefault`` takes two for each."""
    present = set(headers.keys(lower=True))
    for name, value in wanted:
        if name.lower() not in present:
            headers.add(name, value)


def init_app(app: Flask) -> None:
    @app.before_request
    def check_host_and_scheme() -> ResponseReturnValue | None:
        if app.debug or request.blueprint == "health":
            return None
        if not host_is_trusted(request.host, app.config["ALLOWED_HOSTS"]):
            app.logger.warning("Host %r is not in ALLOWED_HOSTS", request.host)
            abort(400)
        if app.config["SECURE_SSL_REDIRECT"] and not request.is_secure:
            return redirect(request.url.replace("http://", "https://", 1), code=308)
        return None

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        nonce = g.get("csp_nonce")
        add_missing(response.headers, security_headers(app.config, nonce))
        return response


def security_headers(
    config: Mapping[str, Any], nonce: str | None = None
) -> list[tuple[str, str]]:
    """The headers every response gets, for these settings; ``nonce`` is the
    one a page used for its inline scripts (``script_nonce()``)."""
    policy = CONTENT_SECURITY_POLICY
    if nonce:
        policy += f"; script-src 'self' 'nonce-{nonce}'"
    headers = [("Content-Security-Policy", policy), *FIXED_HEADERS]
    hsts = config["HSTS_SECONDS"]
    if hsts:
        if config["HSTS_INCLUDE_SUBDOMAINS"]:
            hsts = f"{hsts}; includeSubDomains"
        if config["HSTS_PRELOAD"]:
            hsts = f"{hsts}; preload"
        headers.append(("Strict-Transport-Security", f"max-age={hsts}"))
    return headers


def script_nonce() -> str:
    """A nonce for this request's inline scripts, added to the policy."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    nonce: str = g.csp_nonce
    return nonce
