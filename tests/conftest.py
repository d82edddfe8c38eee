"""Fixtures shared by the whole suite, and a summary line per stage.

The suite has eleven stages, one per kind of proof; a test's stage is given by
its module.  After the run, one line per stage gives its counts and wall time,
so a CI log shows at a glance which kind of proof failed and what each cost.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import projects
import pytest
import servers
import services
import shell

# Several tests press Ctrl-C on a command (SIGINT to its process group) as a
# terminal does, whose foreground job has SIGINT at its default action.  A
# shell without job control starts a background command (`cmd &` in a
# script, nohup) with SIGINT ignored, and an ignored signal stays ignored
# through fork and exec, so the commands those tests start would never see
# their Ctrl-C.  Catching it here (at import, in the controller and in each
# xdist worker) gives every command the suite starts the default again.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

STAGES = (
    "generator",
    "update",
    "matrix",
    "ci",
    "hosts",
    "hosting",
    "containers",
    "browser",
    "security",
    "load",
    "serve",
)
STAGE_OF_MODULE = {
    "test_update": "update",
    "test_matrix": "matrix",
    "test_ci_steps": "ci",
    "test_hosts": "hosts",
    "test_hosting": "hosting",
    "test_production": "hosting",
    "test_devtools": "matrix",
    "test_beat": "matrix",
    "test_images": "containers",
    "test_browser": "browser",
    "test_api_django": "browser",
    "test_api_flask": "browser",
    "test_security": "security",
    "test_accounts_flask": "security",
    "test_accounts_django": "security",
    "test_load": "load",
    "test_serve": "serve",
}


def stage_of(nodeid: str) -> str:
    module = Path(nodeid.split("::", 1)[0]).stem
    return STAGE_OF_MODULE.get(module, "generator")


def pytest_configure(config: pytest.Config) -> None:
    # One id per run, set by the controller before the xdist workers start (they
    # inherit the environment); every database this run makes carries it.
    os.environ.setdefault("WDN_RUN_ID", secrets.token_hex(3))


# --------------------------------------------------------------------------
# Shared fixtures


@pytest.fixture(scope="session")
def shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory every xdist worker of this run sees (the common basetemp)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def store(shared_dir: Path) -> projects.ProjectStore:
    return projects.ProjectStore(shared_dir / "projects")


@pytest.fixture
def databases() -> Iterator[services.Databases]:
    made = services.Databases()
    yield made
    made.drop_all()


@pytest.fixture(scope="session")
def tls(shared_dir: Path) -> servers.TLS:
    if not shutil.which("openssl"):
        shell.unavailable("openssl is not installed (apt-get install openssl)")
    with shell.file_lock(shared_dir / "tls.lock"):
        return servers.make_certificate(shared_dir / "tls")


def require_program(name: str, install: str) -> str:
    path = shutil.which(name)
    if not path:
        shell.unavailable(f"{name} is not installed ({install})")
    return path


@pytest.fixture(scope="session")
def chromium() -> str:
    return os.environ.get("WDN_CHROMIUM") or require_program(
        "chromium", "apt-get install -y chromium"
    )


@pytest.fixture(scope="session")
def wrk() -> str:
    return require_program("wrk", "apt-get install -y wrk")


#: axe-core, the accessibility checker the browser tests run on each page.
AXE_VERSION = "4.14.1"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core from the npm registry, installed once into the cache."""
    npm = shutil.which("npm")
    if not npm:
        shell.unavailable("npm is not installed (apt-get install -y npm)")
    folder = projects.CACHE / "npm" / f"axe-core-{AXE_VERSION}"
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    with shell.file_lock(projects.CACHE / "npm" / "axe.lock"):
        if not script.exists():
            folder.mkdir(parents=True, exist_ok=True)
            shell.run(
                [
                    npm,
                    "install",
                    "--prefix",
                    str(folder),
                    "--no-audit",
                    "--no-fund",
                    f"axe-core@{AXE_VERSION}",
                ],
                cwd=folder,
                timeout=300,
            )
    return script.read_text()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    path = projects.ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def pytest_sessionfinish(session: pytest.Session) -> None:
    # The controller (or a run without xdist) drops anything this run left
    # behind, e.g. after a crash inside a test.
    if not hasattr(session.config, "workerinput"):
        services.sweep_databases(f"wdn_{os.environ['WDN_RUN_ID']}_")


# --------------------------------------------------------------------------
# One summary line per stage


@dataclass
class _Test:
    stage: str
    outcome: str = "passed"
    start: float = 0.0
    stop: float = 0.0
    duration: float = 0.0


_RESULTS: dict[str, _Test] = {}
_STARTED = time.time()
_RANK = {"passed": 0, "skipped": 1, "xfailed": 1, "failed": 3, "error": 3}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    test = _RESULTS.setdefault(report.nodeid, _Test(stage_of(report.nodeid)))
    start, stop = getattr(report, "start", 0.0), getattr(report, "stop", 0.0)
    test.start = min(test.start, start) if test.start else start
    test.stop = max(test.stop, stop)
    test.duration += report.duration
    if report.failed:
        outcome = "failed" if report.when == "call" else "error"
    elif report.skipped:
        outcome = "xfailed" if hasattr(report, "wasxfail") else "skipped"
    else:
        outcome = "passed"
    if _RANK[outcome] > _RANK[test.outcome]:
        test.outcome = outcome


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if hasattr(config, "workerinput"):
        return
    results = _RESULTS
    write = terminalreporter.write_line
    terminalreporter.section("stages")
    for stage in STAGES:
        tests = [t for t in results.values() if t.stage == stage]
        if not tests:
            write(f"stage {stage:<10}: no tests collected")
            continue
        counts = {k: 0 for k in ("passed", "failed", "error", "skipped")}
        for test in tests:
            key = "skipped" if test.outcome == "xfailed" else test.outcome
            counts[key] += 1
        wall = max(t.stop for t in tests) - min(t.start for t in tests)
        busy = sum(t.duration for t in tests)
        write(
            f"stage {stage:<10}: {counts['passed']} passed, {counts['failed']} failed,"
            f" {counts['error']} errors, {counts['skipped']} skipped;"
            f" {wall:.1f}s wall, {busy:.1f}s of test time"
        )
    total = time.time() - _STARTED
    write(f"all stages: {total:.1f}s since the run started")
