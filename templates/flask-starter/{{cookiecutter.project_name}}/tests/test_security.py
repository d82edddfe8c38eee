"""Security headers, cookies, CSRF{% if cookiecutter.auth or cookiecutter.i18n %} and redirect targets{% endif %}."""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
{%- if cookiecutter.auth or cookiecutter.i18n %}

from {{ cookiecutter.project_slug }}.security import safe_redirect_target
{%- endif %}

PAGES = [
    "/",
{%- if cookiecutter.auth %}
    "/auth/signup",
    "/auth/login",
{%- endif %}
    "/no-such-page",
]


@pytest.mark.parametrize("path", PAGES)
def test_security_headers(client: FlaskClient, path: str) -> None:
    headers = client.get(path).headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.parametrize("path", PAGES)
def test_pages_satisfy_the_content_security_policy(
    client: FlaskClient, path: str
) -> None:
    html = client.get(path).get_data(as_text=True)
    # No inline script, style element or style attribute: all are blocked.
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<style" not in html
    assert " style=" not in html


def test_no_hsts_in_development(app: Flask, client: FlaskClient) -> None:
    app.config["HSTS_SECONDS"] = 0
    response = client.get("/healthz")
    assert "Strict-Transport-Security" not in response.headers


def test_session_cookie_is_secure_in_production(client: FlaskClient) -> None:
    client.post("/", data={"author": "Ada", "body": "Hi"})
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert cookie.secure
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_forms_need_a_csrf_token(app: Flask, client: FlaskClient) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    client.environ_base["HTTP_REFERER"] = "https://localhost/"
    response = client.post("/", data={"author": "Ada", "body": "Hi"})
    assert response.status_code == 400
    assert b"The form has expired" in response.data


def test_health_endpoints_need_no_csrf_token(app: Flask, client: FlaskClient) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.get("/healthz").status_code == 200
{%- if cookiecutter.auth or cookiecutter.i18n %}


@pytest.mark.parametrize("target", ["/", "/auth/password", "/page?x=1#top"])
def test_local_redirect_targets(target: str) -> None:
    assert safe_redirect_target(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/\t/evil.example",
    ],
)
def test_foreign_redirect_targets(target: str | None) -> None:
    assert safe_redirect_target(target) is None
{%- endif %}
