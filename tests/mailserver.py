"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, keeping every
message it receives, so a generated project's production email settings
(``EMAIL_HOST``, ``EMAIL_PORT``) can point at it."""

from __future__ import annotations

import email
import email.policy
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage

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

    def env(self) -> dict[str, str]:
        """A project's production email settings, pointed at this server."""
        return {
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
            "EMAIL_USE_TLS": "false",
        }

    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return list(self._messages)

    def count(self) -> int:
        return len(self.messages())

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
