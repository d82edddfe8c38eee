"""Generated projects served over HTTP in a test: a self-signed certificate,
a server process that is stopped with everything it started, gunicorn, a
small cookie-keeping client, and wrk's counts."""

from __future__ import annotations

import http.client
import os
import re
import shlex
import shutil
import ssl
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import shell
from shell import run

from testkit.deployment import wsgi_target
from testkit.net import free_port
from testkit.processes import start, stop

# Counts every answer outside 2xx (wrk itself only counts 4xx and 5xx).
WRK_COUNT_NON_2XX = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("non2xx") end
  io.write(string.format("non-2xx answers: %d\\n", total))
end
"""


def parse_wrk(output: str) -> dict[str, int]:
    """The counts wrk printed: requests, socket errors, non-2xx answers."""
    requests = re.search(r"(\d+) requests in", output)
    assert requests, f"no request count in wrk's output:\n{output}"
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    counted = re.search(r"non-2xx answers: (\d+)", output)
    assert counted, f"the counting script did not report:\n{output}"
    http_errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests": int(requests.group(1)),
        "socket_errors": sum(map(int, socket.groups())) if socket else 0,
        "non_2xx": max(
            int(counted.group(1)), int(http_errors.group(1)) if http_errors else 0
        ),
    }


@dataclass
class TLS:
    cert: Path
    key: Path

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))


def make_certificate(directory: Path) -> TLS:
    """A self-signed certificate for 127.0.0.1 and localhost."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / "cert.pem", directory / "key.pem"
    if not cert.exists():
        run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                str(key),
                "-out",
                str(cert),
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
            ],
            cwd=directory,
        )
    return TLS(cert, key)


class Server:
    """A process serving HTTP on 127.0.0.1:``port``; stopped (its whole process
    group) on exit. Its output goes to ``log``."""

    def __init__(
        self,
        args: list[str],
        *,
        cwd: Path,
        env: Mapping[str, str],
        port: int,
        log: Path,
        tls: TLS | None = None,
        ready_path: str = "/healthz",
        ready_output: str | None = None,
    ) -> None:
        self.args, self.cwd, self.env, self.port = args, cwd, dict(env), port
        self.log, self.tls, self.ready_path = log, tls, ready_path
        # A regular expression: wait for it in the output instead of for HTTP.
        self.ready_output = ready_output
        self.proc: subprocess.Popen[bytes] | None = None
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://127.0.0.1:{port}"

    def __enter__(self) -> Server:
        self.proc = start(self.args, self.cwd, self.env, self.log)
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def output(self) -> str:
        """The end of what the server printed (for messages)."""
        return self.full_output()[-6000:]

    def full_output(self) -> str:
        return self.log.read_text(errors="replace")

    def client(self, **headers: str) -> Client:
        return Client(self, headers)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"`{shlex.join(self.args)}` exited {self.proc.returncode}"
                    f" before answering:\n{self.output()}"
                )
            if self.ready_output:
                if re.search(self.ready_output, self.full_output()):
                    return
                last = f"no {self.ready_output!r} in its output yet"
            else:
                try:
                    response = self.client().get(self.ready_path)
                    if response.status == 200:
                        return
                    last = f"{self.ready_path} answered {response.status}"
                except OSError as exc:
                    last = str(exc)
            time.sleep(0.2)
        raise AssertionError(
            f"`{shlex.join(self.args)}` was not ready within {timeout}s ({last}):"
            f"\n{self.output()}"
        )

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)


def gunicorn(
    project: Path,
    venv: Path,
    env: Mapping[str, str],
    log: Path,
    *,
    workers: int = 2,
    tls: TLS | None = None,
) -> Server:
    """The project's WSGI app under gunicorn on 127.0.0.1 only."""
    port = free_port()
    args = [
        str(venv / "bin/gunicorn"),
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "30",
    ]
    if tls:
        args += ["--certfile", str(tls.cert), "--keyfile", str(tls.key)]
    args.append(wsgi_target(project))
    return Server(args, cwd=project, env=env, port=port, log=log, tls=tls)


# --------------------------------------------------------------------------
# A small HTTP client that keeps cookies (Secure ones too) and never follows
# redirects, so a test sees every Location header.


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    def cookies(self) -> list[str]:
        return self.headers.get_all("Set-Cookie") or []


class Client:
    def __init__(
        self,
        server: Server,
        headers: Mapping[str, str] | None = None,
        *,
        source: str | None = None,
    ):
        self.server = server
        self.base_headers = dict(headers or {})
        self.jar: dict[str, str] = {}
        #: The local address to connect from. Another loopback address than
        #: 127.0.0.1 plays a platform's proxy on another machine: gunicorn
        #: trusts forwarded headers only from 127.0.0.1 unless told otherwise.
        self.source = (source, 0) if source else None

    def _connection(self) -> http.client.HTTPConnection:
        if self.server.tls:
            return http.client.HTTPSConnection(
                "127.0.0.1",
                self.server.port,
                timeout=30,
                context=self.server.tls.client_context(),
                source_address=self.source,
            )
        return http.client.HTTPConnection(
            "127.0.0.1", self.server.port, timeout=30, source_address=self.source
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        all_headers = {**self.base_headers, **(headers or {})}
        if self.jar:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        body = None
        if form is not None:
            body = urlencode(form)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = self._connection()
        try:
            conn.request(method, path, body=body, headers=all_headers)
            raw = conn.getresponse()
            response = Response(
                raw.status, raw.headers, raw.read().decode("utf-8", "replace")
            )
        finally:
            conn.close()
        for cookie in response.cookies():
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""') or "max-age=0" in cookie.lower():
                self.jar.pop(name.strip(), None)
            else:
                self.jar[name.strip()] = value
        return response

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, form: Mapping[str, str], **kwargs: Any) -> Response:
        return self.request("POST", path, form=form, **kwargs)


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page (Django or Flask-WTF)."""
    for name in ("csrfmiddlewaretoken", "csrf_token"):
        for tag in re.findall(r"<input[^>]*>", html):
            if f'name="{name}"' in tag:
                match = re.search(r'value="([^"]*)"', tag)
                if match:
                    return match.group(1)
    raise AssertionError(f"no CSRF token field in the page:\n{html[:2000]}")


CSRF_FIELD = {"django": "csrfmiddlewaretoken", "flask": "csrf_token"}


# --------------------------------------------------------------------------
# In a browser


def axe_violations(page, source: str) -> list[str]:
    """axe-core's findings on a Playwright page, one "rule: elements" line each."""
    # Evaluated through the browser's debugging protocol: the page's own
    # Content-Security-Policy (script-src 'self') stays in force.
    page.evaluate(source)
    return page.evaluate(
        """async () => {
            const result = await axe.run(document);
            return result.violations.map(
                (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
        }"""
    )


@contextmanager
def private_redis(workdir: Path) -> Iterator[str]:
    """A Redis server of the caller's own, on a free port, for a project whose
    Celery worker must get only that project's tasks (another test's worker on
    the shared Redis would take them). Yields its URL."""
    if shutil.which("redis-server") is None:
        shell.unavailable(
            "redis-server is not installed (apt-get install redis-server)"
        )
    port = free_port()
    server = Server(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        cwd=workdir,
        env=os.environ,
        port=port,
        log=workdir / f"redis-{port}.log",
        ready_output=r"Ready to accept connections",
    )
    with server:
        yield f"redis://127.0.0.1:{port}/0"
