"""Security headers on every response, the host allow-list and the HTTPS
redirect.

The Content-Security-Policy allows scripts, styles and images from this site
only: the pages use no inline script or style, and a page that must gets a
nonce for it from ``script_nonce()``; inline event handlers that a library
writes (Flask-Admin's confirmations) run only when the view allows their exact
text with ``allow_inline_handlers()``.  Outside development a request
for a host name not in ``ALLOWED_HOSTS`` gets 400 (so a forged ``Host`` or
``X-Forwarded-Host`` never reaches a link or a redirect), and plain HTTP is
redirected to HTTPS.  The health probes are exempt from both: platforms send
them over plain HTTP with a host name of their own.
"""

import base64
import hashlib
import secrets
from collections.abc import Iterable, Mapping
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
        handlers = g.get("csp_handler_hashes", ())
        add_missing(response.headers, security_headers(app.config, nonce, handlers))
        return response


def security_headers(
    config: Mapping[str, Any],
    nonce: str | None = None,
    handler_hashes: Iterable[str] = (),
) -> list[tuple[str, str]]:
    """The headers every response gets, for these settings; ``nonce`` is the
    one a page used for its inline scripts (``script_nonce()``), and
    ``handler_hashes`` the inline event handlers it may run
    (``allow_inline_handlers()``)."""
    policy = CONTENT_SECURITY_POLICY
    sources = [f"'nonce-{nonce}'"] if nonce else []
    if handler_hashes:
        sources += ["'unsafe-hashes'", *sorted(handler_hashes)]
    if sources:
        policy += "; script-src 'self' " + " ".join(sources)
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


def allow_inline_handlers(*handlers: str) -> None:
    """Let this request's page run these exact inline event handlers
    (``onclick="..."``): the policy lists their SHA-256 hashes with
    'unsafe-hashes', so any other handler, one injected into the page
    included, stays blocked."""
    hashes: set[str] = g.setdefault("csp_handler_hashes", set())
    for handler in handlers:
        digest = base64.b64encode(hashlib.sha256(handler.encode()).digest())
        hashes.add(f"'sha256-{digest.decode()}'")
