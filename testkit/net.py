"""Ports and HTTP status polling, with the standard library only."""

from __future__ import annotations

import collections
import os
import random
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

# Listening ports come from below the kernel's ephemeral range: a port the
# kernel hands out (bind to port 0, or the local end of any outgoing
# connection to PostgreSQL, Redis or a test server) can be taken by another
# process between the check here and the server's own bind, which then fails
# with "Address already in use". Below the range only another test asks for
# ports, and each pytest-xdist worker draws from its own slice.
_LOWEST = 20000
_SLICES = 4


def _ephemeral_start() -> int:
    try:
        text = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text()
        return int(text.split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def _slice() -> range:
    """This process's ports: the slice of its xdist worker (``gw1``), or the
    last slice for a process outside pytest-xdist (a benchmark, a plain run)."""
    top = max(_ephemeral_start(), _LOWEST + _SLICES * 64)
    width = (top - _LOWEST) // _SLICES
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker.startswith("gw") and worker[2:].isdigit():
        index = int(worker[2:]) % (_SLICES - 1)
    else:
        index = _SLICES - 1
    start = _LOWEST + index * width
    return range(start, start + width)


# The ports handed out lately: a server that has stopped may leave its port
# in TIME_WAIT, and one still starting has not bound it yet.
_recent: collections.deque[int] = collections.deque(maxlen=512)


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A TCP port nothing listens on or connects from right now, not one this
    process handed out lately, and outside the ranges other workers and
    the kernel draw from (see above)."""
    ports = _slice()
    generator = random.Random(os.getpid() ^ time.monotonic_ns())
    for _ in range(len(ports)):
        port = generator.choice(ports)
        if port not in _recent and _bindable(port):
            _recent.append(port)
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


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
