"""Shared machinery of the benchmark suite: the lock, the machine description,
interleaved timing of commands, processes, HTTP polling and small statistics.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / ".work"
LOCK = BENCH / ".lock"
TEMPLATES = ROOT / "templates"

# testkit, the helpers the test suite shares, sits at the checkout's root: the
# bench modules import it after this one.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Scripts installed next to the running interpreter (webdev-new, django-admin,
# cookiecutter): called by absolute path so that a version manager's shims
# (pyenv) add no start-up time to either side of a comparison.
SCRIPTS = Path(sys.executable).parent


def path_without(program: str) -> str:
    """PATH with every directory that holds ``program`` removed."""
    kept = [
        d
        for d in os.environ.get("PATH", "").split(os.pathsep)
        if d and not os.access(os.path.join(d, program), os.X_OK)
    ]
    return os.pathsep.join(kept)


def script(name: str) -> str:
    """Absolute path of a console script of this interpreter, else PATH's."""
    from testkit.environment import tool  # after ROOT is on sys.path

    return tool(name)


def have(name: str) -> bool:
    try:
        script(name)
    except FileNotFoundError:
        return False
    return True


# --------------------------------------------------------------------------
# The lock: one benchmark at a time on a machine.


class Busy(Exception):
    pass


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def lock(path: Path = LOCK) -> Iterator[None]:
    """Hold a pid lock file; refuse when a live process holds it."""
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                owner = int(path.read_text().strip() or "0")
            except (OSError, ValueError):
                owner = 0
            if owner and _pid_alive(owner):
                raise Busy(
                    f"another benchmark run (pid {owner}) holds {path}; "
                    "wait for it to finish"
                ) from None
            path.unlink(missing_ok=True)  # stale: its process is gone
            continue
        with os.fdopen(fd, "w") as handle:
            handle.write(f"{os.getpid()}\n")
        break
    else:
        raise Busy(f"could not take {path}")
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            if path.read_text().strip() == str(os.getpid()):
                path.unlink()


# --------------------------------------------------------------------------
# The machine.


def _first_line(argv: Sequence[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    text = (out.stdout or out.stderr).strip().splitlines()
    return text[0] if text else "unknown"


def machine() -> dict[str, str]:
    model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    load = "unknown"
    with contextlib.suppress(OSError):
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    commit = _first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(
        [
            "git",
            "-C",
            str(ROOT),
            "status",
            "--porcelain",
            "--",
            "templates",
            "generator",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if dirty:
        commit += " (with uncommitted changes in generator/ or templates/)"
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": str(os.cpu_count()),
        "cpu model": model,
        "memory": memory,
        "load average at start (1, 5, 15 min)": load,
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_version()} ({sys.executable})",
        "uv": _first_line(["uv", "--version"]),
        "wrk": _first_line(["wrk", "--version"]),
        "webdev-new commit": commit,
    }


# --------------------------------------------------------------------------
# Statistics.


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ratio(ours: float | None, reference: float | None) -> float | None:
    if not ours or not reference:
        return None
    return ours / reference


def fmt_ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def fmt_seconds(value: float | None) -> str:
    if value is None or value != value:
        return "n/a"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


# --------------------------------------------------------------------------
# Timing commands, interleaved.


@dataclass
class Case:
    """One command to time. ``prepare`` gives the directory to run in (fresh
    for commands that create files) and is not timed."""

    label: str
    argv: list[str]
    prepare: Callable[[int], Path] | None = None
    env: dict[str, str] | None = None
    times: list[float] = field(default_factory=list)
    failure: str | None = None

    @property
    def median(self) -> float | None:
        return median(self.times) if self.times else None

    def spread(self) -> str:
        if not self.times:
            return "n/a"
        return f"{fmt_seconds(min(self.times))} - {fmt_seconds(max(self.times))}"


def run_timed(case: Case, index: int) -> float | None:
    from testkit.environment import clean_env  # after ROOT is on sys.path

    cwd = case.prepare(index) if case.prepare else WORK
    start = time.perf_counter()
    done = subprocess.run(
        case.argv,
        cwd=cwd,
        env=case.env or clean_env(bytecode=True),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        case.failure = f"exit {done.returncode}: {lines[-1] if lines else ''}"[:200]
        return None
    return elapsed


def interleave(cases: Sequence[Case], runs: int, warmup: int, log) -> None:
    """Run every case once per round, the order rotating from round to round;
    the first ``warmup`` rounds are not counted.  A failing case is dropped."""
    for round_ in range(warmup + runs):
        shift = round_ % len(cases)
        order = list(cases[shift:]) + list(cases[:shift])
        for case in order:
            if case.failure:
                continue
            elapsed = run_timed(case, round_)
            if elapsed is not None and round_ >= warmup:
                case.times.append(elapsed)
        log(f"    round {round_ + 1}/{warmup + runs} done")


# --------------------------------------------------------------------------
# Files.


def tail(path: Path, lines: int = 3) -> str:
    try:
        text = path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-lines:])[:300]


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path
