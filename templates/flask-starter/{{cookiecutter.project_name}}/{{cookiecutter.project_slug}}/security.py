"""Security headers on every response{% if cookiecutter.auth or cookiecutter.i18n %}, and safe redirect targets{% endif %}.

The Content-Security-Policy allows scripts, styles and images from this site
only: the pages use no inline script or style.
"""

{% if cookiecutter.admin -%}
import secrets
{% endif -%}
{% if cookiecutter.auth or cookiecutter.i18n -%}
from urllib.parse import urlsplit

{% endif -%}
from flask import Flask, Response{% if cookiecutter.admin %}, g{% endif %}

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    @app.after_request
    def set_security_headers(response: Response) -> Response:
        headers = response.headers
{%- if cookiecutter.admin %}
        policy = CONTENT_SECURITY_POLICY
        if "csp_nonce" in g:
            # A page (Flask-Admin's) used script_nonce() for its inline scripts.
            policy += f"; script-src 'self' 'nonce-{g.csp_nonce}'"
        headers.setdefault("Content-Security-Policy", policy)
{%- else %}
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
{%- endif %}
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        hsts = app.config["HSTS_SECONDS"]
        if hsts:
            headers.setdefault(
                "Strict-Transport-Security", f"max-age={hsts}; includeSubDomains"
            )
        return response
{%- if cookiecutter.admin %}


def script_nonce() -> str:
    """A nonce for this request's inline scripts, added to the policy."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce
{%- endif %}
{%- if cookiecutter.auth or cookiecutter.i18n %}


def safe_redirect_target(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None.

    Refuses absolute URLs, scheme-relative ``//host`` and the ``/\\host`` form
    that browsers read as ``//host``.
    """
    if not target or any(ord(char) < 32 for char in target):
        return None
    normalised = target.replace("\\", "/")
    parts = urlsplit(normalised)
    if parts.scheme or parts.netloc or not normalised.startswith("/"):
        return None
    if normalised.startswith("//"):
        return None
    return target
{%- endif %}
