from smtplib import SMTPException

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from {{ cookiecutter.project_slug }} import celery_app
from {{ cookiecutter.project_slug }}.core import health, tasks


def test_contact_task_sends_the_email(settings: Settings) -> None:
    settings.CONTACT_EMAIL = "team@example.com"
    result = tasks.send_contact_message.delay("Ada", "ada@example.com", "Hello there.")
    assert result.successful()
    assert mail.outbox[0].to == ["team@example.com"]


def test_contact_form_queues_the_task(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    queued = []
    monkeypatch.setattr(tasks.send_contact_message, "delay", lambda **kwargs: queued.append(kwargs))
    data = {"name": "Ada", "email": "ada@example.com", "message": "Hello there."}
    client.post(reverse("contact"), data)
    assert queued == [data]


def test_contact_task_retries_when_the_mail_server_fails() -> None:
    """A mail server that is down or refuses (a network or SMTP error) is tried
    again later, with growing delays, instead of the message being dropped."""
    task = tasks.send_contact_message
    # celery-types leaves out the retry options that shared_task sets on a task.
    retried: tuple[type[Exception], ...] = task.autoretry_for  # type: ignore[attr-defined]
    assert issubclass(SMTPException, retried)
    assert issubclass(ConnectionRefusedError, retried)
    assert task.retry_backoff  # type: ignore[attr-defined]
    assert task.max_retries is not None
    assert task.max_retries >= 5


def test_readyz_503_when_redis_is_down(
    client: Client, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    monkeypatch.setitem(health.CHECKS, "database", lambda: True)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "unavailable"


@pytest.mark.django_db
def test_expired_sessions_are_cleared() -> None:
    """The periodic example task deletes the sessions that have expired, and
    only those."""
    expired, live = SessionStore(), SessionStore()
    expired.set_expiry(-60)
    expired.save()
    live.save()
    tasks.clear_expired_sessions.delay()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_beat_schedules_the_task(settings: Settings) -> None:
    """Beat's schedule names a task the worker knows, at the configured interval."""
    entry = settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]
    assert entry["task"] == tasks.clear_expired_sessions.name
    assert entry["task"] in celery_app.tasks  # registered: the worker can run it
    assert entry["schedule"] == settings.CLEAR_SESSIONS_EVERY
