"""Error reports to Sentry (https://docs.sentry.io/platforms/python/integrations/flask/).

The SDK starts when SENTRY_DSN is set; without it nothing is sent.  What an
event holds is listed under "Error monitoring" in README.md: no cookies, no
user, no client address, no request body and no local variables, so personal
data stays on the server.
"""

import os

import sentry_sdk
from flask import Flask
{%- if cookiecutter.tasks == "celery" %}
from sentry_sdk.integrations.celery import CeleryIntegration
{%- endif %}
from sentry_sdk.integrations.flask import FlaskIntegration


def init_app(app: Flask) -> None:
    """Start reporting when SENTRY_DSN (from the environment) is set."""
    app.config.setdefault("SENTRY_DSN", os.environ.get("SENTRY_DSN", ""))
    dsn = app.config["SENTRY_DSN"].strip()
    if dsn:
        init_sentry(dsn)


def init_sentry(dsn: str) -> None:
    """Report unhandled errors{% if cookiecutter.tasks == "celery" %} (in views and in Celery tasks){% endif %} to the project at ``dsn``.

    The environment and release come from SENTRY_ENVIRONMENT (default
    "production") and SENTRY_RELEASE (default: the commit the host names,
    when it names one).
    """
    sentry_sdk.init(
        dsn=dsn,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "").strip() or "production",
        release=os.environ.get("SENTRY_RELEASE", "").strip() or None,
        integrations=[FlaskIntegration(){% if cookiecutter.tasks == "celery" %}, CeleryIntegration(){% endif %}],
        # send_default_pii stays off (the SDK's default): no user, cookies or
        # client address.
        # Form fields and JSON bodies can hold anyone's data: never sent.
        max_request_body_size="never",
        # Neither are the values of local variables in the stack trace.
        include_local_variables=False,
    )
