from django.core import mail, signals
from django.core.mail import EmailMessage

from {{ cookiecutter.project_slug }}.core.outbox import send_later


def message() -> EmailMessage:
    return EmailMessage("Subject", "Body", "site@example.com", ["someone@example.com"])


def test_email_queued_during_a_request_goes_out_when_it_ends() -> None:
    signals.request_started.send(sender=None)
    send_later(message())
    assert mail.outbox == []
    signals.request_finished.send(sender=None)
    assert [sent.to for sent in mail.outbox] == [["someone@example.com"]]


def test_email_outside_a_request_goes_out_at_once() -> None:
    send_later(message())
    assert len(mail.outbox) == 1
