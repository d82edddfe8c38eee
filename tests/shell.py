"""Running commands the way the tests need: output and errors together,
failures that show the command and the end of its output, a terminal when a
person would type it, and a lock shared by the xdist workers."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shlex
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def unavailable(message: str) -> None:
    """Skip on a laptop, fail in CI: nothing that needs a service skips there."""
    if in_ci():
        pytest.fail(f"{message} (CI=true: a missing service is a failure)")
    pytest.skip(message)


@dataclass
class Result:
    args: list[str]
    returncode: int
    output: str


def run(
    args: list[str],
    *,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
    check: bool = True,
) -> Result:
    """Run a command, output and errors together; on failure (with ``check``)
    raise an AssertionError that shows the command and the end of its output."""
    try:
        proc = subprocess.run(
            args,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.output or ""
        if isinstance(out, bytes):
            out = out.decode(errors="replace")
        raise AssertionError(
            f"`{shlex.join(args)}` in {cwd} timed out after {timeout}s\n{out[-4000:]}"
        ) from None
    result = Result(list(args), proc.returncode, proc.stdout)
    if check and proc.returncode != 0:
        raise AssertionError(
            f"`{shlex.join(args)}` in {cwd} exited {proc.returncode}:\n"
            f"{proc.stdout[-6000:]}"
        )
    return result


def run_at_terminal(
    args: list[str], *, cwd: Path, env: Mapping[str, str], timeout: float = 300
) -> Result:
    """Run a command as a person types it: on a pseudo-terminal (some
    development conveniences happen only there); fail like ``run``."""
    import pexpect

    output, status = pexpect.run(
        shlex.join(args),
        cwd=str(cwd),
        env=dict(env),
        timeout=timeout,
        withexitstatus=True,
        encoding="utf-8",
    )
    result = Result(list(args), status, output)
    if status != 0:
        raise AssertionError(
            f"`{shlex.join(args)}` at a terminal in {cwd} exited {status}:\n"
            f"{output[-4000:]}"
        )
    return result


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock shared by processes (xdist workers, parallel runs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
