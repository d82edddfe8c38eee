"""A local SMTP server that keeps what it receives (aiosmtpd), for reading the
emails a generated project sends: verification and password reset links."""

from __future__ import annotations

import re
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from urllib.parse import urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from testkit.net import free_port


class Sink:
    """Messages received, in order; ``wait`` for the next one to an address."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.changed = threading.Condition()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_DATA(
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        message = message_from_bytes(envelope.content or b"", policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self.changed:
            self.messages.append(message)
            self.changed.notify_all()
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        with self.changed:
            return [m for m in self.messages if m["To"] == address]

    def wait(self, address: str, count: int = 1, timeout: float = 20) -> EmailMessage:
        """The ``count``-th message to ``address``, once it has arrived."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while len(self.to_locked(address)) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"no email #{count} to {address} within {timeout} s"
                        f" (received: {[m['To'] for m in self.messages]})"
                    )
                self.changed.wait(left)
            return self.to_locked(address)[count - 1]

    def to_locked(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def __enter__(self) -> Sink:
        self.controller.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.controller.stop()


def link(message: EmailMessage, path: str) -> str:
    """The path (and query) of the message's link under ``path``."""
    body = message.get_content()
    for url in re.findall(r"https?://\S+", body):
        parts = urlsplit(url)
        if parts.path.startswith(path):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    raise AssertionError(f"no link to {path} in:\n{body}")
