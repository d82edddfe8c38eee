"""Section 6: ``GET /starter.zip`` from ``webdev-new serve`` against the command.

The default project, downloaded over loopback HTTP (a new connection each
time, as curl makes), timed to its first byte (status line and headers read)
and to its last; the reference is ``webdev-new NAME --yes --no-git`` in a
fresh directory, timed in the same rounds, the two alternating which goes
first.  The server renders in warm worker processes, so it pays no Python
start-up or import per request; the command pays both every time.
"""

from __future__ import annotations

import http.client
import io
import time
import zipfile
from dataclasses import dataclass, field

import harness
from harness import Case

from testkit import environment, net, processes

NAME = "mysite"


@dataclass
class Download:
    """Timings of ``GET /starter.zip`` (seconds)."""

    first_byte: list[float] = field(default_factory=list)
    total: list[float] = field(default_factory=list)
    size: int = 0
    failure: str | None = None


def _download(port: int) -> tuple[float, float, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    start = time.perf_counter()
    try:
        connection.request("GET", f"/starter.zip?name={NAME}")
        response = connection.getresponse()
        first = time.perf_counter() - start
        body = response.read()
        total = time.perf_counter() - start
    finally:
        connection.close()
    if response.status != 200:
        raise RuntimeError(
            f"GET /starter.zip answered {response.status}: {body[:200]!r}"
        )
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        if f"{NAME}/manage.py" not in archive.namelist():
            raise RuntimeError("the zip does not hold the default Django project")
    return first, total, len(body)


def zip_download(runs: int, warmup: int, log) -> dict:
    log("7. webdev-new serve: GET /starter.zip vs webdev-new NAME --yes --no-git")
    base = harness.fresh_dir(harness.WORK / "serve")
    port = net.free_port()
    server = processes.start(
        [harness.script("webdev-new"), "serve", "--port", str(port), "--workers", "2"],
        cwd=base,
        env=environment.clean_env(bytecode=True),
        log=base / "serve.log",
    )
    cli = Case(
        f"webdev-new {NAME} --yes --no-git",
        [harness.script("webdev-new"), NAME, "--yes", "--no-git"],
        prepare=lambda index: harness.fresh_dir(base / "cli" / str(index)),
    )
    download = Download()
    try:
        if net.wait_for_200(f"http://127.0.0.1:{port}/metadata", server, 60) is None:
            download.failure = (
                f"serve did not start: {harness.tail(base / 'serve.log')}"
            )
            return {"cli": cli, "download": download}
        for round_ in range(warmup + runs):
            steps = ["cli", "zip"] if round_ % 2 else ["zip", "cli"]
            for step in steps:
                if step == "cli":
                    elapsed = harness.run_timed(cli, round_)
                    if elapsed is not None and round_ >= warmup:
                        cli.times.append(elapsed)
                    continue
                try:
                    first, total, size = _download(port)
                except (OSError, RuntimeError, zipfile.BadZipFile) as error:
                    download.failure = str(error)[:200]
                    continue
                download.size = size
                if round_ >= warmup:
                    download.first_byte.append(first)
                    download.total.append(total)
            log(f"    round {round_ + 1}/{warmup + runs} done")
    finally:
        processes.stop(server)
    return {"cli": cli, "download": download}
