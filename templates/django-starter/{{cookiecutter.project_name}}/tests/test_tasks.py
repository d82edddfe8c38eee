from smtplib import SMTPException

from django.core import mail
from django.urls import reverse

from {{ cookiecutter.project_slug }}.core import tasks


def test_contact_task_sends_the_email(settings):
    settings.CONTACT_EMAIL = "team@example.com"
    result = tasks.send_contact_message.delay("Ada", "ada@example.com", "Hello there.")
    assert result.successful()
    assert mail.outbox[0].to == ["team@example.com"]


def test_contact_form_queues_the_task(client, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.send_contact_message, "delay", lambda **kwargs: queued.append(kwargs))
    data = {"name": "Ada", "email": "ada@example.com", "message": "Hello there."}
    client.post(reverse("contact"), data)
    assert queued == [data]


def test_contact_task_retries_when_the_mail_server_fails():
    """A mail server that is down or refuses (a network or SMTP error) is tried
    again later, with growing delays, instead of the message being dropped."""
    task = tasks.send_contact_message
    assert issubclass(SMTPException, task.autoretry_for)
    assert issubclass(ConnectionRefusedError, task.autoretry_for)
    assert task.retry_backoff
    assert task.max_retries >= 5
