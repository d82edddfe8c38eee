"""Email sent after the response, not during it.

A page that sends email only queues it (``send_later``); the messages go
out once the response has been handed to the client, when Django signals
the end of the request. So a slow or unreachable mail server never holds up
a page, and the time a page takes does not tell whether it sent an email:
that would tell an attacker which addresses have an account. In a
project with Celery, ``deliver`` hands the message to a worker
(``tasks.send_email``), which retries it while the mail server is down.

Outside a request (the shell, a management command, a Celery task),
``send_later`` sends at once.
"""

import logging
import threading
from typing import Any

from django.core.mail import EmailMessage
{%- if cookiecutter.tasks == "celery" %}

from . import tasks
{%- endif %}

logger = logging.getLogger(__name__)

_request = threading.local()


def send_later(message: EmailMessage) -> None:
    """Send ``message`` once the current response is out."""
    queue: list[EmailMessage] | None = getattr(_request, "queue", None)
    if queue is None:
        deliver(message)
    else:
        queue.append(message)


def deliver(message: EmailMessage) -> None:
{%- if cookiecutter.tasks == "celery" %}
{% include "outbox/deliver_celery.py" %}
{%- else %}
    message.send()
{%- endif %}


def request_started(**kwargs: Any) -> None:
    _request.queue = []


def request_finished(**kwargs: Any) -> None:
    """Send what the request queued; a failure is logged, not raised (the
    response is already gone)."""
    queue: list[EmailMessage] = getattr(_request, "queue", None) or []
    _request.queue = None
    for message in queue:
        try:
            deliver(message)
        except Exception:
            logger.exception("Could not send the email %r to %s", message.subject, message.to)
