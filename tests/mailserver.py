"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, keeping every
message it receives, so a generated project's production email settings
(Django's ``EMAIL_HOST`` and ``EMAIL_PORT``, Flask's ``EMAIL_URL``) can point
at it."""

from __future__ import annotations

import email
import email.policy
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from urllib.parse import urlsplit

from aiosmtpd.controller import Controller

from testkit.net import free_port


class Mailbox:
    """The messages an SMTP server received, in order of arrival."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's hook
        message = email.message_from_bytes(
            envelope.content, policy=email.policy.default
        )
        with self._lock:
            self._messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    @property
    def url(self) -> str:
        """This server as a Flask project's ``EMAIL_URL``."""
        return f"smtp://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """A project's production email settings, pointed at this server."""
        return {
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
            "EMAIL_USE_TLS": "false",
            "EMAIL_URL": self.url,
        }

    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return list(self._messages)

    def count(self) -> int:
        return len(self.messages())

    def to(self, address: str) -> list[EmailMessage]:
        """The messages to exactly ``address``, in order of arrival."""
        return [m for m in self.messages() if m["To"] == address]

    def wait(self, address: str, count: int = 1, timeout: float = 20) -> EmailMessage:
        """The ``count``-th message to ``address``, once it has arrived."""
        deadline = time.monotonic() + timeout
        while len(received := self.to(address)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"no email #{count} to {address} within {timeout} s"
                    f" (received: {[m['To'] for m in self.messages()]})"
                )
            time.sleep(0.05)
        return received[count - 1]

    def wait_for(
        self, match: Callable[[EmailMessage], bool], timeout: float = 20
    ) -> EmailMessage:
        """The first message ``match`` accepts, waiting for it to arrive
        (projects send email after the response, or from a worker)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages():
                if match(message):
                    return message
            time.sleep(0.1)
        subjects = [f"{m['To']}: {m['Subject']}" for m in self.messages()]
        raise AssertionError(f"no such email within {timeout}s; received: {subjects}")

    def settled_count(self, quiet: float = 1.5, timeout: float = 30) -> int:
        """The number of messages once none has arrived for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        last, since = self.count(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.1)
            now = self.count()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
        return last


def text(message: EmailMessage) -> str:
    """The plain-text body of a message."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, f"no text part in {message['Subject']!r}"
    return str(part.get_content())


def links(message: EmailMessage) -> list[str]:
    return re.findall(r"https?://\S+", text(message))


def link(message: EmailMessage, path: str) -> str:
    """The path (and query) of the message's link under ``path``."""
    for url in links(message):
        parts = urlsplit(url)
        if parts.path.startswith(path):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    raise AssertionError(f"no link to {path} in:\n{text(message)}")


def to(address: str) -> Callable[[EmailMessage], bool]:
    """A ``wait_for`` match: a message to ``address``."""
    return lambda message: address.lower() in str(message["To"]).lower()


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    port = free_port()
    mailbox = Mailbox(port)
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()
