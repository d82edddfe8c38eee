from django.core import mail
from django.core.mail import EmailMessage

from {{ cookiecutter.project_slug }}.core import outbox


def message() -> EmailMessage:
    return EmailMessage("Subject", "Body", "site@example.com", ["someone@example.com"])


def test_email_queued_during_a_request_goes_out_when_it_ends() -> None:
    """core/apps.py connects these two to Django's request_started and
    request_finished signals (the account tests see the emails arrive)."""
    outbox.request_started()
    try:
        outbox.send_later(message())
        assert mail.outbox == []
    finally:
        outbox.request_finished()
    assert [sent.to for sent in mail.outbox] == [["someone@example.com"]]


def test_email_outside_a_request_goes_out_at_once() -> None:
    outbox.send_later(message())
    assert len(mail.outbox) == 1
