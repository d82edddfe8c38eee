"""
Django settings for {{ cookiecutter.project_name }}.

Every value that differs between machines comes from the environment; see
.env.example for the variables.  The development settings in .env are read
only when LOAD_DOTENV=1 (manage.py sets it, so runserver and the other
commands use them); the production server and a hosted worker never read
.env.  The real environment always wins over it.

https://docs.djangoproject.com/en/{{ cookiecutter.django_version }}/topics/settings/
https://docs.djangoproject.com/en/{{ cookiecutter.django_version }}/ref/settings/
"""

import os
import sys
{%- if cookiecutter.tasks == "celery" %}
import tempfile
{%- endif %}
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
{%- if cookiecutter.database == "mysql" %}
import pymysql
{%- endif %}
{%- if cookiecutter.django_version == "5.2" %}
from csp.constants import NONE, SELF
{%- endif %}
from django.core.management.utils import get_random_secret_key
{%- if cookiecutter.django_version == "6.0" %}
from django.utils.csp import CSP
{%- endif %}
{%- if cookiecutter.i18n %}
from django.utils.translation import gettext_lazy as _
{%- endif %}
from dotenv import load_dotenv
{%- if cookiecutter.monitoring == "sentry" %}

from {{ cookiecutter.project_slug }} import monitoring
{%- endif %}

# Classes that the type stubs make generic (FormView[ContactForm]...) can be
# subscripted at run time too.
django_stubs_ext.monkeypatch()

# Build paths inside the project like this: BASE_DIR / "subdir".
BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = BASE_DIR / "{{ cookiecutter.project_slug }}"


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no variable: 1, true, yes and on (any case) mean yes."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated variable as a list, ignoring blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


if env_bool("LOAD_DOTENV"):
    load_dotenv(BASE_DIR / ".env")


# Core
# https://docs.djangoproject.com/en/{{ cookiecutter.django_version }}/howto/deployment/checklist/

DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
if not SECRET_KEY:
    if not DEBUG:
        # One line, not a traceback, from manage.py, gunicorn and the release command alike.
        sys.exit(
            "SECRET_KEY is not set: set the SECRET_KEY environment variable "
            "(or DEBUG=true for development)."
        )
    # Development without a key: a fresh one per process (sessions do not survive a restart).
    SECRET_KEY = get_random_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
# The host names the platforms give a service, so a deploy answers on them
# without guessing the name in a file.
if os.environ.get("RENDER_EXTERNAL_HOSTNAME"):
    ALLOWED_HOSTS.append(os.environ["RENDER_EXTERNAL_HOSTNAME"])
if os.environ.get("FLY_APP_NAME"):
    ALLOWED_HOSTS.append(f"{os.environ['FLY_APP_NAME']}.fly.dev")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")


# Application definition

INSTALLED_APPS = [
{%- if cookiecutter.admin %}
    "django.contrib.admin",
{%- endif %}
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "{{ cookiecutter.project_slug }}.core",
    "{{ cookiecutter.project_slug }}.accounts",
    "axes",
]

MIDDLEWARE = [
    "{{ cookiecutter.project_slug }}.core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
{%- if cookiecutter.django_version == "5.2" %}
    "csp.middleware.CSPMiddleware",
{%- else %}
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
{%- endif %}
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
{%- if cookiecutter.i18n %}
    "django.middleware.locale.LocaleMiddleware",
{%- endif %}
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "{{ cookiecutter.project_slug }}.core.middleware.ErrorPageMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "{{ cookiecutter.project_slug }}.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
{%- if cookiecutter.i18n %}
                "django.template.context_processors.i18n",
{%- endif %}
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "{{ cookiecutter.project_slug }}.wsgi.application"

{%- if cookiecutter.admin %}

{% include "settings/admin_url.py" %}
{%- endif %}


# Database, from DATABASE_URL
# https://docs.djangoproject.com/en/{{ cookiecutter.django_version }}/ref/settings/#databases
{%- if cookiecutter.database == "mysql" %}

{% include "settings/mysql_driver.py" %}
{%- endif %}

{% include "settings/database_sqlite.py" if cookiecutter.database == "sqlite" else "settings/database_url.py" %}
try:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
    }
except ValueError as error:
    sys.exit(f"DATABASE_URL is not a valid database URL: {error}")

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite allows a single writer: WAL lets readers work alongside it, the
    # busy timeout waits for the lock instead of failing, and IMMEDIATE takes
    # the write lock at the start of a transaction rather than midway.
    # Options given in DATABASE_URL's query string win.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
        **DATABASES["default"].get("OPTIONS", {}),
    }
{%- if cookiecutter.database == "mysql" %}
{% include "settings/database_mysql.py" %}
{%- endif %}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
{%- if cookiecutter.tasks == "celery" %}


{% include "settings/celery.py" %}
{%- else %}


{% include "settings/file_cache.py" %}
{%- endif %}


# Authentication
# https://docs.djangoproject.com/en/{{ cookiecutter.django_version }}/topics/auth/
# The user model exists from the first migration whatever the answers: Django
# cannot change AUTH_USER_MODEL once a database is migrated.

AUTH_USER_MODEL = "accounts.User"
{%- if cookiecutter.auth %}
{% include "settings/accounts.py" %}
{%- endif %}

# Argon2 first: new and upgraded passwords use it; the others still verify old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# django-axes first: it refuses a locked-out login before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


# Throttling
# Failed logins, on the site and in the admin: after AXES_FAILURE_LIMIT
# failures for one account or from one client address, logins for it are
# refused with 429 for AXES_COOLOFF_TIME, the right password included.
{%- if cookiecutter.tasks == "celery" %}
# The counts are kept in the cache (Redis).
{%- else %}
# The counts are kept in the database, which every worker shares.
{%- endif %}
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "429.html"
AXES_USERNAME_CALLABLE = "{{ cookiecutter.project_slug }}.core.throttling.login_username"
AXES_CLIENT_IP_CALLABLE = "{{ cookiecutter.project_slug }}.core.throttling.client_ip"
{%- if cookiecutter.tasks == "celery" %}
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
{%- endif %}

# Sign-up, password reset and contact form posts per client address: the
# rates are in core/throttling.py; the counts are kept in the cache.
# https://django-ratelimit.readthedocs.io/en/stable/settings.html
RATELIMIT_VIEW = "{{ cookiecutter.project_slug }}.core.throttling.too_many_requests"
RATELIMIT_IP_META_KEY = "{{ cookiecutter.project_slug }}.core.throttling.client_ip"

# How many proxies in front of the app append to X-Forwarded-For; the
# client address is the one the outermost of them saw. 0 trusts none;
# Heroku, Render and Fly.io need 1.
forwarded_proxies = os.environ.get("FORWARDED_PROXIES", "0").strip()
if not forwarded_proxies.isdigit():
    sys.exit("FORWARDED_PROXIES must be a whole number: 0 without a proxy, 1 behind one.")
FORWARDED_PROXIES = int(forwarded_proxies)
{%- if cookiecutter.api == "rest" %}


{% include "settings/api.py" %}
{%- endif %}


# Internationalization
# https://docs.djangoproject.com/en/{{ cookiecutter.django_version }}/topics/i18n/

LANGUAGE_CODE = "en"
{%- if cookiecutter.i18n %}

{% include "settings/languages.py" %}
{%- endif %}

TIME_ZONE = "UTC"

# True once the project has a second language. While it is False, the
# templates' translate tags return their text without a catalog lookup (a
# fifth of the start page's rendering time) and Django's own text is English.
USE_I18N = {{ cookiecutter.i18n }}

USE_TZ = True


# Static files (CSS, JavaScript, Images), served by WhiteNoise
# https://docs.djangoproject.com/en/{{ cookiecutter.django_version }}/howto/static-files/
# https://whitenoise.readthedocs.io/

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]

STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}


# Email: printed to the console in development, sent over SMTP in production.
# https://docs.djangoproject.com/en/{{ cookiecutter.django_version }}/topics/email/

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Give up on an unresponsive mail server instead of holding a worker forever.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Where the contact form's messages go.
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", DEFAULT_FROM_EMAIL)


# Security
# https://docs.djangoproject.com/en/{{ cookiecutter.django_version }}/topics/security/

# The host (Heroku, Render, Fly, a load balancer) terminates TLS and says so in this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Health probes come over plain HTTP from inside the platform.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# HSTS: a year, subdomains included, preload-ready by default; lower
# SECURE_HSTS_SECONDS (e.g. 300) for a first deploy you may need to roll back.
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

{% if cookiecutter.django_version == "5.2" -%}
{% include "settings/csp_package.py" %}
{%- else -%}
{% include "settings/csp_django.py" %}
{%- endif %}

SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
{%- if cookiecutter.i18n %}
{% include "settings/language_cookie.py" %}
{%- endif %}


# Logging: everything to stdout, one event per line.
# https://docs.djangoproject.com/en/{{ cookiecutter.django_version }}/topics/logging/

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {
            "()": "{{ cookiecutter.project_slug }}.log.OneLineFormatter",
            "format": "{asctime} {levelname} {name} {message}",
            "style": "{",
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
    },
}
{%- if cookiecutter.monitoring == "sentry" %}


{% include "settings/sentry.py" %}
{%- endif %}
