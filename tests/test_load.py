"""Generated projects under concurrent load: nothing breaks.

The default Django and Flask projects run under gunicorn (2 workers,
production settings) on SQLite and on PostgreSQL; wrk sends a bounded load
(3 seconds, 8 connections) to the home page and to /healthz on 127.0.0.1.
Every answer must be a 2xx and no socket error may occur. Speed is not
measured here (that is the benchmark's job).

Requests carry ``X-Forwarded-Proto: https``, as a hosting platform's router
adds, so the production SSL redirect does not answer them with a 301.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import combos
import deploy
import pytest
import services
from clitools import ROOT
from servers import WRK_COUNT_NON_2XX, parse_wrk
from shell import run

from testkit import environment

FORWARDED = {"X-Forwarded-Proto": "https"}


def test_benchmark_environments_write_bytecode_as_python_does(monkeypatch):
    """The benchmark times start-up with Python's usual bytecode caching, even
    when the environment it runs in turns it off (this machine's does); the
    tests' shared projects keep it off."""
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    assert "PYTHONDONTWRITEBYTECODE" not in environment.clean_env(bytecode=True)
    assert environment.clean_env()["PYTHONDONTWRITEBYTECODE"] == "1"


def test_parse_wrk():
    sample = (
        "  1234 requests in 3.00s, 1.2MB read\n"
        "  Socket errors: connect 0, read 2, write 0, timeout 1\n"
        "  Non-2xx or 3xx responses: 5\n"
        "non-2xx answers: 7\n"
    )
    assert parse_wrk(sample) == {"requests": 1234, "socket_errors": 3, "non_2xx": 7}


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
@pytest.mark.parametrize("framework", ["django", "flask"])
def test_bounded_load(framework, database, store, databases, wrk, tmp_path):
    answers = combos.default_answers(framework, database=database)
    url = services.database_url(answers, databases, tmp_path)
    script = tmp_path / "count.lua"
    script.write_text(WRK_COUNT_NON_2XX)
    with deploy.production_server(
        answers, store, tmp_path, database_url=url, workers=2
    ) as app:
        results = {}
        for path in ("/", "/healthz"):
            first = app.server.client(**FORWARDED).get(path)
            assert first.status == 200, (
                f"GET {path} answered {first.status} before any load"
                f" (Location: {first.header('Location')})"
            )
            output = run(
                [
                    wrk,
                    "-d",
                    "3s",
                    "-c",
                    "8",
                    "-t",
                    "2",
                    "--timeout",
                    "10s",
                    "-H",
                    "X-Forwarded-Proto: https",
                    "-s",
                    str(script),
                    app.url + path,
                ],
                cwd=tmp_path,
                timeout=60,
            ).output
            results[path] = counts = parse_wrk(output)
            assert counts["requests"] > 0, output
            assert counts["socket_errors"] == 0, f"{path}:\n{output}"
            assert counts["non_2xx"] == 0, f"{path}:\n{output}\n{app.server.output()}"
        print(framework, database, results)


# --------------------------------------------------------------------------
# The benchmark's memory profile (bench/memory.py): what it reads is real.


def _bench_modules():
    """The benchmark's modules, imported as ``bench/run.py`` imports them."""
    bench = str(ROOT / "bench")
    if bench not in sys.path:
        sys.path.insert(0, bench)
    import load as bench_load
    import memory
    import report

    return memory, bench_load, report


APP_WITH_A_BLOCK = """
import click

# 8 MiB the import itself writes to, so the resident size must grow by it.
BLOCK = bytes(range(256)) * 32768
app = object()
"""


def test_memory_shares_are_read_from_the_process():
    memory, _, _ = _bench_modules()
    (master,) = memory.processes(os.getpid(), [])
    assert master.role == "master"
    assert master.kib["Rss"] >= master.kib["Pss"] > 0
    assert master.kib["Private_Dirty"] > 0


def test_import_footprint_names_what_each_import_added(tmp_path):
    memory, _, _ = _bench_modules()
    (tmp_path / "app.py").write_text(APP_WITH_A_BLOCK)
    footprint = memory.import_footprint(
        Path(sys.executable), tmp_path, environment.clean_env(), "app:app"
    )
    assert footprint.failure is None
    steps = dict(footprint.steps)
    assert "click" in steps
    assert steps["(the app itself)"] >= 7 * 1024
    assert footprint.rss_kib > footprint.start_kib + 7 * 1024
    assert footprint.modules > 20


def test_import_footprint_reports_an_app_that_fails(tmp_path):
    memory, _, _ = _bench_modules()
    (tmp_path / "app.py").write_text("raise RuntimeError('no SECRET_KEY')\n")
    footprint = memory.import_footprint(
        Path(sys.executable), tmp_path, environment.clean_env(), "app:app"
    )
    assert footprint.steps == []
    assert "no SECRET_KEY" in footprint.failure


def test_memory_section_of_the_report(tmp_path):
    memory, bench_load, report = _bench_modules()
    (tmp_path / "app.py").write_text(APP_WITH_A_BLOCK)
    env = environment.clean_env()
    servers = []
    for label in ("generated", "reference"):
        server = bench_load.Server(label, [], tmp_path, env, "")
        server.shares = memory.processes(os.getpid(), [])
        server.footprint = memory.import_footprint(
            Path(sys.executable), tmp_path, env, "app:app"
        )
        servers.append(server)
    item = bench_load.FrameworkLoad("flask", generated=servers[0], reference=servers[1])
    results = report.Results(machine={}, plan=None, quick=True, sections=set())
    results.load = [item]
    text = "\n".join(report._memory_section(results))
    assert "### Where the memory goes: flask" in text
    assert "| generated | master |" in text
    assert "| `(the app itself)` | 8." in text
    assert "| modules loaded |" in text
