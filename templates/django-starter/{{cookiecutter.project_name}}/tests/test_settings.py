"""Production security settings, and clear errors for bad configuration."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from {{ cookiecutter.project_slug }} import settings as project_settings

PROJECT_DIR = Path(__file__).resolve().parent.parent


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


def start_django(**environ):
    """Load the settings in a fresh process with ``environ`` overriding the environment."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "{{ cookiecutter.project_slug }}.settings", **environ}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("secret_key", ["", "   "])
def test_production_without_secret_key_stops_with_a_clear_message(secret_key):
    result = start_django(DEBUG="false", SECRET_KEY=secret_key)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr.strip().splitlines()[-1]


def test_malformed_database_url_stops_with_a_clear_message():
    result = start_django(SECRET_KEY="x" * 50, DATABASE_URL="not-a-database-url")
    assert result.returncode != 0
    assert "DATABASE_URL is not a valid database URL" in result.stderr.strip().splitlines()[-1]
