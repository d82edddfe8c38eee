{%- set celery = cookiecutter.tasks == "celery" -%}
"""Email, and the jobs that send it after the response.

``EMAIL_URL`` says where messages go (``.env.example`` and README.md):

- ``console://``: printed on standard output, the default with FLASK_DEBUG;
- ``smtp://user:password@host:587``: an SMTP server, with STARTTLS whenever
  the server offers it (credentials are never sent in clear text except to
  this machine); without FLASK_DEBUG the default is ``smtp://localhost:25``,
  a relay on this machine, as in Django;
- ``smtps://user:password@host:465``: SMTP over TLS from the first byte;
- ``memory://``: kept in ``outbox(app)``, for the tests.

``EMAIL_FROM`` is the sender (``webmaster@localhost`` by default).

What a request sends is sent by a job that runs after it
{%- if celery %}, in the Celery worker
{%- else %}, in a thread of
the web worker (which waits for it before it stops; a failed job is logged)
{%- endif %}:
the time a request takes must not tell whether an address has an account.
The tests (``TESTING``) run jobs at once.
"""

import logging
import os
import smtplib
import ssl
import sys
{%- if not celery %}
import threading
{%- endif %}
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlsplit

{% if celery -%}
from celery import shared_task
{% endif -%}
from flask import Flask, current_app

from .config import ConfigError

logger = logging.getLogger(__name__)

SCHEMES = ("console", "smtp", "smtps", "memory")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")

#: The jobs ``later`` may run, by name (a name is what a queue can carry).
JOBS: dict[str, Callable[..., None]] = {}


def init_app(app: Flask) -> None:
    """Check EMAIL_URL and EMAIL_FROM before the first message needs them."""
    default = "console://" if app.debug else "smtp://localhost:25"
    app.config.setdefault("EMAIL_URL", os.environ.get("EMAIL_URL") or default)
    app.config.setdefault(
        "EMAIL_FROM", os.environ.get("EMAIL_FROM") or "webmaster@localhost"
    )
    scheme = urlsplit(app.config["EMAIL_URL"]).scheme
    if scheme not in SCHEMES:
        raise ConfigError(
            f"EMAIL_URL: unsupported scheme {scheme!r} (use {', '.join(SCHEMES)})"
        )
    app.extensions["mail_outbox"] = []


def outbox(app: Flask) -> list[EmailMessage]:
    """The messages sent with ``memory://``, oldest first."""
    messages: list[EmailMessage] = app.extensions["mail_outbox"]
    return messages


def send_email(to: str, subject: str, body: str) -> None:
    """Send a plain text message now, where EMAIL_URL says."""
    message = EmailMessage()
    message["From"] = current_app.config["EMAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    url = urlsplit(current_app.config["EMAIL_URL"])
    if url.scheme == "memory":
        current_app.extensions["mail_outbox"].append(message)
    elif url.scheme == "console":
        sys.stdout.write(f"{message.as_string()}\n{'-' * 72}\n")
        sys.stdout.flush()
    else:
        send_smtp(url.scheme, url.hostname or "localhost", url.port, url, message)


def send_smtp(
    scheme: str, host: str, port: int | None, url: Any, message: EmailMessage
) -> None:
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if scheme == "smtps":
        smtp = smtplib.SMTP_SSL(host, port or 465, timeout=30, context=context)
    else:
        smtp = smtplib.SMTP(host, port or 25, timeout=30)
    with smtp:
        smtp.ehlo()
        encrypted = scheme == "smtps"
        if not encrypted and smtp.has_extn("starttls"):
            smtp.starttls(context=context)
            smtp.ehlo()
            encrypted = True
        if url.username:
            if not encrypted and host not in LOCAL_HOSTS:
                raise smtplib.SMTPException(
                    f"{host} offers no STARTTLS: credentials not sent"
                )
            smtp.login(unquote(url.username), unquote(url.password or ""))
        smtp.send_message(message)


def job(function: Callable[..., None]) -> Callable[..., None]:
    """Register ``function`` as a job ``later`` may run (its arguments: text)."""
    JOBS[function.__name__] = function
    return function


{% include "mail/celery_jobs.py" if celery else "mail/thread_jobs.py" %}
