"""Section 3, time to a running app (``webdev-new NAME --yes --install``, then
the printed development server command until ``/healthz`` answers 200), and
section 4, the wall time of the generated project's own ``pytest``."""

from __future__ import annotations

import re
import resource
import shlex
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import harness

from testkit import environment, net, processes

NAME = "mysite"
HINT = "# start the development server"


@dataclass
class Startup:
    framework: str
    installer: str
    total: list[float] = field(default_factory=list)  # to the first 200
    install: list[float] = field(default_factory=list)  # webdev-new alone
    failure: str | None = None
    project: Path | None = None  # the last project that came up

    @property
    def median(self) -> float | None:
        return harness.median(self.total) if self.total else None


def _server_command(printed: str, port: int) -> list[str]:
    """The printed command, told to listen on a free port of 127.0.0.1."""
    argv = shlex.split(printed)
    if "runserver" in argv:
        return [*argv, f"127.0.0.1:{port}"]
    if "run" in argv:
        return [*argv, "--host", "127.0.0.1", "--port", str(port)]
    return argv


def _one(
    result: Startup, directory: Path, env: dict[str, str]
) -> tuple[float, Path] | None:
    """Generate, install, start the dev server, wait for /healthz; return the
    elapsed time and the project, or None after recording the failure."""
    argv = [harness.script("webdev-new"), NAME, "--yes", "--install"]
    if result.framework != "django":
        argv += ["--framework", result.framework]
    start = time.perf_counter()
    done = subprocess.run(
        argv,
        cwd=directory,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    installed = time.perf_counter()
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        result.failure = (
            f"webdev-new exit {done.returncode}: {lines[-1] if lines else ''}"
        )
        return None
    printed = next(
        (
            line.split("#")[0].strip()
            for line in done.stdout.splitlines()
            if HINT in line
        ),
        None,
    )
    if not printed:
        result.failure = "webdev-new printed no development server command"
        return None
    project = directory / NAME
    port = net.free_port()
    log = directory / "server.log"
    server = processes.start(_server_command(printed, port), project, env, log)
    try:
        came = net.wait_for_200(f"http://127.0.0.1:{port}/healthz", server, timeout=90)
    finally:
        processes.stop(server)
    if came is None:
        result.failure = f"`{printed}` gave no 200 from /healthz: {harness.tail(log)}"
        return None
    result.install.append(installed - start)
    return came - start, project


def time_to_running(
    runs: int, warmup: int, frameworks: list[str], log
) -> list[Startup]:
    """Both installers, interleaved, after warm-up runs that fill the caches."""
    log("3. Time to a running app: webdev-new --yes --install, dev server, /healthz")
    base = harness.fresh_dir(harness.WORK / "running")
    uv_env = environment.clean_env(bytecode=True)
    pip_env = environment.clean_env(bytecode=True, PATH=harness.path_without("uv"))
    results = [
        Startup(framework, installer)
        for framework in frameworks
        for installer in ("uv", "pip")
    ]
    if not shutil.which("uv"):
        for result in results:
            if result.installer == "uv":
                result.failure = "uv is not on PATH"
    for round_ in range(warmup + runs):
        for result in results:
            if result.failure:
                continue
            env = uv_env if result.installer == "uv" else pip_env
            directory = harness.fresh_dir(
                base / f"{result.framework}-{result.installer}-{round_}"
            )
            outcome = _one(result, directory, env)
            if outcome is None:
                continue
            elapsed, project = outcome
            if round_ >= warmup:
                result.total.append(elapsed)
            else:
                result.install.clear()  # warm-up: not counted
            # Keep the newest uv-installed project of each framework for the
            # later sections; remove the others.
            if result.installer == "uv":
                if result.project and result.project.parent != directory:
                    shutil.rmtree(result.project.parent, ignore_errors=True)
                result.project = project
            else:
                shutil.rmtree(directory, ignore_errors=True)
        log(f"    round {round_ + 1}/{warmup + runs} done")
    return results


@dataclass
class Suite:
    framework: str
    times: list[float] = field(default_factory=list)
    summary: str = ""
    failure: str | None = None
    slowest: list[str] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system seconds

    @property
    def median(self) -> float | None:
        return harness.median(self.times) if self.times else None


def _pytest(
    project: Path, env: dict[str, str], *args: str
) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """Run the project's pytest: its output, wall time and CPU time (user +
    system, of the child processes)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [str(project / ".venv" / "bin" / "pytest"), "-q", *args],
        cwd=project,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return done, elapsed, used


def _slowest(project: Path, env: dict[str, str]) -> list[str]:
    """pytest's own list of the five slowest steps, from one more run."""
    done, _, _ = _pytest(project, env, "--durations=5")
    return [
        " ".join(line.split())
        for line in done.stdout.splitlines()
        if re.match(r"^\d+\.\d+s (call|setup|teardown) ", line)
    ][:5]


def test_suites(
    projects: dict[str, Path | None], runs: int, warmup: int, log
) -> list[Suite]:
    """``pytest`` at the root of each installed default project, interleaved;
    only the pytest run is timed."""
    log("4. Generated test suites: pytest wall time")
    suites: list[tuple[Suite, Path | None]] = []
    for framework, project in projects.items():
        suite = Suite(framework)
        if project is None:
            suite.failure = "no installed project (see time to a running app)"
        suites.append((suite, project))
    env = environment.clean_env(bytecode=True)
    for round_ in range(warmup + runs):
        for suite, project in suites:
            if suite.failure:
                continue
            assert project is not None
            done, elapsed, used = _pytest(project, env)
            lines = done.stdout.strip().splitlines()
            suite.summary = lines[-1].strip("= ") if lines else ""
            if done.returncode != 0:
                suite.failure = f"pytest exit {done.returncode}: {suite.summary}"[:200]
                continue
            if round_ >= warmup:
                suite.times.append(elapsed)
                suite.cpu.append(used)
        log(f"    round {round_ + 1}/{warmup + runs} done")
    for suite, project in suites:
        if suite.failure or project is None:
            continue
        suite.slowest = _slowest(project, env)
    return [suite for suite, _ in suites]


@dataclass
class DevStart:
    framework: str
    argv: list[str] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    failure: str | None = None

    @property
    def median(self) -> float | None:
        return harness.median(self.times) if self.times else None


def _dev_command(framework: str, project: Path, port: int) -> list[str]:
    """The development server the project's next steps print, from its
    virtual environment, on ``port``."""
    venv = project / ".venv" / "bin"
    if framework == "django":
        printed = f"{venv / 'python'} manage.py runserver"
    else:
        printed = f"{venv / 'flask'} run"
    return _server_command(printed, port)


def dev_server_start(
    projects: dict[str, Path | None], runs: int, warmup: int, log
) -> list[DevStart]:
    """From starting the development server (its reloader included, as
    ``.env`` turns debug on) to the first 200 from /healthz, the frameworks
    interleaved."""
    log("3b. Development server start: flask run, manage.py runserver")
    results: list[tuple[DevStart, Path | None]] = []
    for framework, project in projects.items():
        result = DevStart(framework)
        if project is None:
            result.failure = "no installed project (see time to a running app)"
        results.append((result, project))
    env = environment.clean_env(bytecode=True)
    base = harness.fresh_dir(harness.WORK / "dev-start")
    for round_ in range(warmup + runs):
        for result, project in results if round_ % 2 == 0 else results[::-1]:
            if result.failure or project is None:
                continue
            port = net.free_port()
            argv = _dev_command(result.framework, project, port)
            result.argv = argv
            log_file = base / f"{result.framework}.log"
            start = time.perf_counter()
            server = processes.start(argv, project, env, log_file)
            try:
                came = net.wait_for_200(
                    f"http://127.0.0.1:{port}/healthz", server, timeout=60
                )
            finally:
                processes.stop(server)
            if came is None:
                result.failure = f"no 200 from /healthz: {harness.tail(log_file)}"
                continue
            if round_ >= warmup:
                result.times.append(came - start)
        log(f"    round {round_ + 1}/{warmup + runs} done")
    return [result for result, _ in results]
