"""Production security settings, and clear errors for bad configuration."""

import importlib.util

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from {{ cookiecutter.project_slug }} import settings as project_settings


def test_security_headers(client):
    response = client.get(reverse("home"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_plain_http_redirects_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("home"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


def test_https_terminated_by_a_proxy_is_trusted(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("home"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200


def test_cookies_are_secure_and_http_only(client):
    response = client.get(reverse("contact"), secure=True)
    cookie = response.cookies["csrftoken"]
    assert cookie["secure"]
    assert cookie["httponly"]
    assert project_settings.SESSION_COOKIE_SECURE
    assert project_settings.SESSION_COOKIE_HTTPONLY


def test_argon2_hashes_passwords():
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def load_settings(monkeypatch, **environ):
    """Run the settings module afresh with ``environ`` overriding the environment."""
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("fresh_settings", project_settings.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("secret_key", ["", "   "])
def test_production_without_secret_key_stops_with_a_clear_message(monkeypatch, secret_key):
    with pytest.raises(ImproperlyConfigured, match="^SECRET_KEY is not set") as error:
        load_settings(monkeypatch, DEBUG="false", SECRET_KEY=secret_key)
    assert "\n" not in str(error.value)


def test_development_runs_without_secret_key(monkeypatch):
    assert load_settings(monkeypatch, DEBUG="true", SECRET_KEY="").SECRET_KEY


def test_malformed_database_url_stops_with_a_clear_message(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="^DATABASE_URL is not a valid database URL"):
        load_settings(monkeypatch, DATABASE_URL="not-a-database-url")
