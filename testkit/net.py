"""Ports and HTTP status polling, with the standard library only."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def status(url: str, headers: dict[str, str] | None = None, timeout: float = 5) -> int:
    """The status code of a GET (0 when the connection fails); redirects are
    answers, not followed."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return 0


def wait_for_200(
    url: str,
    process: subprocess.Popen | None,
    timeout: float,
    interval: float = 0.05,
) -> float | None:
    """Poll ``url`` until the first 200 and return the ``perf_counter`` time it
    came; None if ``process`` exits first or ``timeout`` passes."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if process is not None and process.poll() is not None:
            return None
        if status(url, timeout=2) == 200:
            return time.perf_counter()
        time.sleep(interval)
    return None
