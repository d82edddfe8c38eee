import logging
from importlib import import_module
from smtplib import SMTPException

import redis
from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage

from . import notifications

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(OSError, SMTPException),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def send_contact_message(name: str, email: str, message: str) -> None:
    """Send the contact form's email from a worker, off the request.

    A mail server that is down or refuses the message (a network error or an
    SMTP error) is retried with growing delays, up to about an hour, instead
    of dropping the message.
    """
    notifications.send_contact_message(name, email, message)


@shared_task(
    autoretry_for=(OSError, SMTPException),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def send_email(
    subject: str, body: str, from_email: str, to: list[str], reply_to: list[str]
) -> None:
    """Send an email that a page queued (core.outbox), retried like the
    contact form's."""
    EmailMessage(subject, body, from_email, to, reply_to=reply_to).send()


@shared_task(name="core.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Delete the sessions that have expired, as ``manage.py clearsessions``
    does: Django never removes them on its own.  Beat sends this task every
    CLEAR_SESSIONS_EVERY seconds (CELERY_BEAT_SCHEDULE in the settings)."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
    logger.info("Expired sessions cleared")


def redis_ready() -> bool:
    """Whether Redis, the broker and the cache, answers (for /readyz)."""
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        return False
    finally:
        client.close()
    return True
