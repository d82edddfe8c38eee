"""Render projects in worker processes, each job in its own temporary directory.

``webdev-new serve`` renders one project per request.  Rendering cannot run in
the server's threads: cookiecutter changes the process's working directory
while it renders, so two renders in one process could write into
each other's trees.  Each worker is a separate Python process that renders one
job at a time, which also makes a render that takes too long stoppable: the
worker is killed and replaced, and its directory removed.

The parent creates every job's directory (under one base directory of its
own) and removes it after the job, whatever happened; the worker removes it
too as soon as it has read the tree back.  Nothing from a request becomes a
path: the directory names are made by ``tempfile``, and the project's own
directory inside comes from a name that ``names.check`` accepted.

Protocol (standard input/output of the worker): the parent writes one JSON
line per job; the worker answers with a 4-byte big-endian length and a pickle
of ``("ok", entries)`` or ``("error", message)``.  Both ends are this module.
"""

from __future__ import annotations

import json
import os
import pickle
import queue
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalogue import BY_KEY, Answers

#: A rendered tree: ``(relative path, mode, content)`` for every entry, in
#: sorted order; ``content`` is None for a directory.  Paths use ``/``.
Entry = tuple[str, int, bytes | None]


#: Seconds a new worker may take to import the renderer.
STARTUP_TIMEOUT = 60.0


class RenderFailed(Exception):
    """The template could not render these answers (reported as a 500)."""


class RenderTimeout(Exception):
    """The render took longer than allowed; its worker was stopped."""

    def __init__(self, seconds: float = 0.0) -> None:
        super().__init__(f"the render took longer than {seconds:g} seconds")
        self.seconds = seconds


class Busy(Exception):
    """No worker became free in time (reported as a 503)."""


@dataclass(frozen=True)
class Job:
    """One project to render: checked name, its package and complete answers."""

    name: str
    package: str
    answers: Answers


def read_tree(project: Path) -> list[Entry]:
    """Every directory and file under ``project``, relative to it.

    Symbolic links are refused rather than followed: a template has none, and
    following one could read outside the tree.
    """
    entries: list[Entry] = []
    for dirpath, dirnames, filenames in os.walk(project):
        dirnames.sort()
        here = Path(dirpath)
        for name in sorted(dirnames + filenames):
            path = here / name
            info = path.lstat()
            relative = path.relative_to(project).as_posix()
            if path.is_symlink():
                raise RenderFailed(f"the template produced a symbolic link: {relative}")
            if path.is_dir():
                entries.append((relative, info.st_mode & 0o777, None))
            else:
                entries.append((relative, info.st_mode & 0o777, path.read_bytes()))
    entries.sort()
    return entries


def _worker_loop() -> None:
    """The worker process: read jobs from stdin, answer on stdout."""
    # Imported up front, so the first request does not pay for them.
    import cookiecutter.generate  # noqa: F401

    from . import render

    out = sys.stdout.buffer
    # Anything the template or cookiecutter prints must not corrupt the answers.
    sys.stdout = sys.stderr
    _answer(out, ("ready", None))
    for line in sys.stdin:
        job = json.loads(line)
        workdir = Path(job["workdir"])
        answers = {
            key: BY_KEY[key].from_plain(value) for key, value in job["answers"].items()
        }
        try:
            project = render.render_tree(
                answers["framework"], job["name"], job["package"], answers, workdir
            )
            reply: tuple[str, Any] = ("ok", read_tree(project))
        except (render.RenderError, RenderFailed, OSError) as exc:
            reply = ("error", str(exc))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        _answer(out, reply)


def _answer(out: Any, reply: tuple[str, Any]) -> None:
    payload = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(struct.pack(">I", len(payload)) + payload)
    out.flush()


class _Worker:
    """One worker process and the pipes to it."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            # -P: the current directory is not searched for modules.
            [sys.executable, "-P", "-m", "generator.workers"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )

    def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message).encode() + b"\n")
        self.process.stdin.flush()

    def receive(self, deadline: float) -> tuple[str, Any]:
        size = struct.unpack(">I", self._read(4, deadline))[0]
        return pickle.loads(self._read(size, deadline))  # noqa: S301 (our own child)

    def _read(self, size: int, deadline: float) -> bytes:
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        chunks: list[bytes] = []
        while size:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise RenderTimeout
            chunk = os.read(fd, min(size, 1 << 20))
            if not chunk:
                raise RenderFailed("the render worker stopped unexpectedly")
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


class Pool:
    """A fixed number of worker processes shared by the server's threads.

    ``render`` waits at most ``queue_timeout`` seconds for a free worker and
    at most ``render_timeout`` seconds for the render itself.
    """

    def __init__(
        self, size: int, render_timeout: float, queue_timeout: float = 30.0
    ) -> None:
        self.render_timeout = render_timeout
        self.queue_timeout = queue_timeout
        #: Every job directory lives under this one, removed on ``close``.
        self.base = Path(tempfile.mkdtemp(prefix="webdev-new-serve-"))
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closing = False
        for _ in range(size):
            self._add()

    def _add(self) -> None:
        """Start a worker; it joins the idle ones once it has loaded the
        renderer, so a request never waits for a worker's imports."""
        worker = _Worker()
        with self._lock:
            self._all.add(worker)
        threading.Thread(target=self._when_ready, args=(worker,), daemon=True).start()

    def _when_ready(self, worker: _Worker) -> None:
        try:
            status, _ = worker.receive(time.monotonic() + STARTUP_TIMEOUT)
        except (RenderTimeout, RenderFailed, OSError, EOFError, pickle.PickleError):
            status = "failed"
        if status == "ready":
            self._idle.put(worker)
            return
        if not self._closing:
            print("webdev-new serve: a render worker failed to start", file=sys.stderr)
        self._discard(worker)

    def _discard(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            self._all.discard(worker)

    def render(self, job: Job) -> list[Entry]:
        """The tree ``webdev-new`` would write for ``job``, read into memory."""
        try:
            worker = self._idle.get(timeout=self.queue_timeout)
        except queue.Empty:
            raise Busy from None
        workdir = Path(tempfile.mkdtemp(prefix="job-", dir=self.base))
        healthy = False
        try:
            plain = {
                k: list(v) if isinstance(v, tuple) else v
                for k, v in job.answers.items()
            }
            worker.send(
                {
                    "name": job.name,
                    "package": job.package,
                    "answers": plain,
                    "workdir": str(workdir),
                }
            )
            status, value = worker.receive(time.monotonic() + self.render_timeout)
            healthy = True
        except RenderTimeout:
            raise RenderTimeout(self.render_timeout) from None
        except (OSError, EOFError, pickle.PickleError) as exc:
            raise RenderFailed(f"the render worker failed: {exc}") from exc
        finally:
            if healthy:
                self._idle.put(worker)
            else:
                # Stopped mid-render or broken: never reused, and stopped
                # before its directory is removed so nothing writes there after.
                self._discard(worker)
                if not self._closing:
                    self._add()
            shutil.rmtree(workdir, ignore_errors=True)
        if status != "ok":
            raise RenderFailed(value)
        return value

    def close(self) -> None:
        self._closing = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()
        shutil.rmtree(self.base, ignore_errors=True)


if __name__ == "__main__":
    _worker_loop()
