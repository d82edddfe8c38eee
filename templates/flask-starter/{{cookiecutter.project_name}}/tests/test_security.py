"""Security headers, cookies and CSRF."""

import os
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from {{ cookiecutter.project_slug }}.config import allowed_hosts

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


def test_hsts_can_be_tuned_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, make_app: Callable[..., Flask]
) -> None:
    monkeypatch.setenv("SECURE_HSTS_SECONDS", "300")
    monkeypatch.setenv("SECURE_HSTS_INCLUDE_SUBDOMAINS", "false")
    monkeypatch.setenv("SECURE_HSTS_PRELOAD", "true")
    response = make_app().test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"] == "max-age=300; preload"


@pytest.mark.parametrize(
    "headers",
    [{"Host": "evil.example"}, {"X-Forwarded-Host": "evil.example"}],
    ids=["host", "forwarded-host"],
)
def test_unknown_host_names_are_refused(
    app_with: Callable[..., Flask], headers: dict[str, str]
) -> None:
    # Behind one proxy X-Forwarded-Host is believed, so it is checked too.
    client = app_with(FORWARDED_PROXIES=1).test_client()
    response = client.get("/", headers=headers)
    assert response.status_code == 400
    assert "evil.example" not in response.headers.get("Location", "")


def test_platform_host_names_are_allowed(
    monkeypatch: pytest.MonkeyPatch, app: Flask, client: FlaskClient
) -> None:
    monkeypatch.setenv("ALLOWED_HOSTS", "example.com, www.example.com")
    monkeypatch.setenv("RENDER_EXTERNAL_HOSTNAME", "site.onrender.com")
    monkeypatch.setenv("FLY_APP_NAME", "site")
    hosts = allowed_hosts(os.environ)
    assert hosts == [
        "example.com",
        "www.example.com",
        "site.onrender.com",
        "site.fly.dev",
    ]
    app.config["ALLOWED_HOSTS"] = hosts
    for host in hosts:
        # Past the host check (400) to the router: no such page.
        response = client.get("/no-such-page", headers={"Host": host})
        assert response.status_code == 404


def test_plain_http_is_redirected_to_https(app_with: Callable[..., Flask]) -> None:
    app = app_with(FORWARDED_PROXIES=1)
    app.config["SECURE_SSL_REDIRECT"] = True
    client = app.test_client()
    # The test client would use https (PREFERRED_URL_SCHEME): ask for http.
    response = client.get("/?page=2", base_url="http://localhost")
    assert response.status_code == 308
    assert response.headers["Location"] == "https://localhost/?page=2"
    # The proxy in front terminated TLS and says so.
    secure = client.get(
        "/no-such-page",
        base_url="http://localhost",
        headers={"X-Forwarded-Proto": "https"},
    )
    assert secure.status_code == 404


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_probes_answer_plain_http_for_any_host(
    app: Flask, client: FlaskClient, path: str
) -> None:
    app.config["SECURE_SSL_REDIRECT"] = True
    response = client.get(path, base_url="http://10.0.0.7:8000")
    assert response.status_code == 200


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
