"""Production security settings, and clear errors for bad configuration."""

import importlib.util
import re
from types import ModuleType

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from {{ cookiecutter.project_slug }} import settings as project_settings

# What a Content-Security-Policy without 'unsafe-inline' blocks: a script
# element without src (JSON data blocks are not run), a style attribute or
# element, an event handler attribute.
INLINE = re.compile(
    r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>|<style|\sstyle=\"|\son[a-z]+=\"",
    re.IGNORECASE,
)


def test_security_headers(client: Client) -> None:
    response = client.get(reverse("home"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_content_security_policy(client: Client) -> None:
    policy = client.get(reverse("home"), secure=True)["Content-Security-Policy"]
    directives = dict(part.strip().partition(" ")[::2] for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "script-src" not in directives and "style-src" not in directives
    assert not [value for value in directives.values() if "unsafe" in value]


PAGES = [
    "home",
    "contact",
{%- if cookiecutter.auth %}
    "login",
    "signup",
    "password_reset",
{%- endif %}
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_pages_need_no_inline_script_or_style(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert not INLINE.findall(response.content.decode())


def test_plain_http_redirects_to_https(client: Client, settings: Settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("home"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


def test_https_terminated_by_a_proxy_is_trusted(client: Client, settings: Settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("home"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


def test_cookies_are_secure_and_http_only(client: Client) -> None:
    response = client.get(reverse("contact"), secure=True)
    cookie = response.cookies["csrftoken"]
    assert cookie["secure"]
    assert cookie["httponly"]
    assert project_settings.SESSION_COOKIE_SECURE
    assert project_settings.SESSION_COOKIE_HTTPONLY


def test_argon2_hashes_passwords() -> None:
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def load_settings(monkeypatch: pytest.MonkeyPatch, **environ: str) -> ModuleType:
    """Run the settings module afresh with ``environ`` overriding the environment."""
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("fresh_settings", project_settings.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("secret_key", ["", "   "])
def test_production_without_secret_key_stops_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch, secret_key: str
) -> None:
    with pytest.raises(SystemExit, match="^SECRET_KEY is not set") as error:
        load_settings(monkeypatch, DEBUG="false", SECRET_KEY=secret_key)
    assert "\n" not in str(error.value)


def test_development_runs_without_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings(monkeypatch, DEBUG="true", SECRET_KEY="").SECRET_KEY


def test_malformed_database_url_stops_with_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SystemExit, match="^DATABASE_URL is not a valid database URL"):
        load_settings(monkeypatch, DATABASE_URL="not-a-database-url")


def test_malformed_forwarded_proxies_stops_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(SystemExit, match="^FORWARDED_PROXIES must be a whole number"):
        load_settings(monkeypatch, FORWARDED_PROXIES="one")


def test_settings_read_dotenv_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Production (gunicorn, a hosted worker) never reads the development .env;
    manage.py and the tests ask for it with LOAD_DOTENV=1."""
    calls = []
    monkeypatch.setattr("dotenv.load_dotenv", lambda path: calls.append(path))
    monkeypatch.delenv("LOAD_DOTENV")
    load_settings(monkeypatch)
    assert calls == []
    load_settings(monkeypatch, LOAD_DOTENV="1")
    assert [path.name for path in calls] == [".env"]


def test_platform_host_names_are_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(
        monkeypatch, RENDER_EXTERNAL_HOSTNAME="site.onrender.com", FLY_APP_NAME="site"
    )
    assert {"site.onrender.com", "site.fly.dev"} <= set(settings.ALLOWED_HOSTS)


def test_hsts_can_be_tuned(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(
        monkeypatch,
        DEBUG="false",
        SECURE_HSTS_SECONDS="300",
        SECURE_HSTS_PRELOAD="false",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
    )
    assert settings.SECURE_HSTS_SECONDS == 300
    assert not settings.SECURE_HSTS_PRELOAD
    assert not settings.SECURE_HSTS_INCLUDE_SUBDOMAINS


def test_sqlite_options_from_database_url_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(monkeypatch, DATABASE_URL="sqlite:////tmp/site.sqlite3?timeout=20")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["timeout"] == 20
    assert options["transaction_mode"] == "IMMEDIATE"
{%- if cookiecutter.database == "mysql" %}


{% include "tests/mysql_settings.py" %}
{%- endif %}
