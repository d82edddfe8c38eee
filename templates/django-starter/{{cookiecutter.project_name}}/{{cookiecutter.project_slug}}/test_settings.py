"""Settings for the test suite: the project's settings, made fast and offline.

pytest uses this module (see [tool.pytest.ini_options] in pyproject.toml).
"""

import os

# Tests run with production settings (DEBUG off, whatever .env says) and
# never need a real key; the rest of .env (DATABASE_URL) is used.
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "insecure-key-for-the-test-suite-only")
os.environ.setdefault("LOAD_DOTENV", "1")
{%- if cookiecutter.monitoring == "sentry" %}
# Errors raised on purpose here are never reported (a DSN in .env included).
os.environ["SENTRY_DSN"] = ""
{%- endif %}

from .settings import *  # noqa: E402, F403
from .settings import STORAGES  # noqa: E402

# The test client speaks plain HTTP; tests of HTTPS behaviour ask for it.
SECURE_SSL_REDIRECT = False

# A fast hasher: tests create many users and Argon2 is slow on purpose.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Hashed static file names need collectstatic; tests use the plain names,
# served by WhiteNoise straight from the app directories.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# The throttling counts, in memory; conftest.py empties them before each test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
{%- if cookiecutter.tasks == "celery" %}

{% include "settings/celery_eager.py" %}
{%- endif %}
