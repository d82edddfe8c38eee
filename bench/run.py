"""The benchmark suite of webdev-new: one command, one Markdown report.

    python bench/run.py            # the full run; writes bench/results.md
    python bench/run.py --quick    # fewer repetitions, to try it out

Every figure is the median of several runs after warm-up, set beside a
reference measured in the same run, the two interleaved, so that the ratios
hold on a busy machine even when the absolute times do not.  A run that
skips sections (``--only``) or uses ``--quick`` writes its report to
``bench/.work/`` instead of ``bench/results.md``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from dataclasses import dataclass

import generation
import harness
import load
import report
import running
import serve

SECTIONS = ("cli", "generation", "update", "running", "tests", "load", "serve")


@dataclass(frozen=True)
class Repeat:
    """How often one measurement runs: ``warmup`` unrecorded runs, then
    ``runs`` recorded ones (interleaved with the reference's)."""

    runs: int
    warmup: int


@dataclass(frozen=True)
class Plan:
    """How much of each section a run does."""

    #: ``webdev-new --help`` against a bare click command.
    cli: Repeat
    #: Generating the default projects against ``django-admin startproject``
    #: and plain cookiecutter; also used for ``update``.
    generation: Repeat
    #: Generate, install and start the development server, per installer.
    install: Repeat
    #: Start the development server of the installed projects.
    dev_start: Repeat
    #: The generated projects' own test suites.
    tests: Repeat
    #: wrk against the generated apps and their references.
    load: load.LoadSettings
    #: ``webdev-new serve``'s zip download against the command.
    serve: Repeat


FULL = Plan(
    cli=Repeat(runs=20, warmup=3),
    generation=Repeat(runs=10, warmup=2),
    install=Repeat(runs=2, warmup=1),
    dev_start=Repeat(runs=5, warmup=1),
    tests=Repeat(runs=3, warmup=1),
    load=load.LoadSettings(rounds=3, seconds=5, warmup_seconds=2, profile_seconds=8),
    serve=Repeat(runs=10, warmup=2),
)
QUICK = Plan(
    cli=Repeat(runs=5, warmup=1),
    generation=Repeat(runs=3, warmup=1),
    install=Repeat(runs=1, warmup=1),
    dev_start=Repeat(runs=2, warmup=1),
    tests=Repeat(runs=2, warmup=1),
    load=load.LoadSettings(rounds=1, seconds=3, warmup_seconds=1, profile_seconds=4),
    serve=Repeat(runs=4, warmup=1),
)


def log(message: str) -> None:
    print(message, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument(
        "--only",
        metavar="SECTIONS",
        help=f"comma-separated subset of: {', '.join(SECTIONS)}",
    )
    args = parser.parse_args(argv)
    only = set(SECTIONS if not args.only else args.only.split(","))
    unknown = only - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    plan = QUICK if args.quick else FULL
    try:
        with harness.lock():
            return run(plan, only, quick=args.quick)
    except harness.Busy as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1


def _generation(results: report.Results, plan: Plan) -> None:
    """Generation against its references; profiled when it misses its goal."""
    results.generation = generation.generation(
        plan.generation.runs, plan.generation.warmup, log
    )
    default = results.generation["pairs"][0][0]
    floor = results.generation["startproject"]
    share = harness.ratio(default.median, floor.median)
    if share is not None and share > report.GENERATION_GOAL:
        log("    profiling webdev-new (django, default) under cProfile")
        try:
            results.generation_profile = generation.profile_generation()
        except (OSError, subprocess.CalledProcessError) as error:
            log(f"    profile failed: {error}")


def _installed_projects(
    results: report.Results, plan: Plan, only: set[str]
) -> dict[str, object]:
    """Generate and install the default projects (the time to a running app);
    the later sections use the ones uv installed."""
    projects: dict[str, object] = {"django": None, "flask": None}
    if only & {"running", "tests", "load"}:
        results.running = running.time_to_running(
            plan.install.runs, plan.install.warmup, ["django", "flask"], log
        )
        for item in results.running:
            if item.installer == "uv" and item.project is not None:
                projects[item.framework] = item.project
    return projects


def _measure(results: report.Results, plan: Plan, only: set[str]) -> None:
    """Every section ``only`` names, in the report's order."""
    if "cli" in only:
        results.cli = generation.cli_start(plan.cli.runs, plan.cli.warmup, log)
    if "generation" in only:
        _generation(results, plan)
    if "update" in only:
        results.update = generation.lifecycle(
            plan.generation.runs, plan.generation.warmup, log
        )
    projects = _installed_projects(results, plan, only)
    if "running" in only:
        results.dev_start = running.dev_server_start(
            projects, plan.dev_start.runs, plan.dev_start.warmup, log
        )
    if "tests" in only:
        results.tests = running.test_suites(
            projects, plan.tests.runs, plan.tests.warmup, log
        )
    if "load" in only:
        for framework in ("django", "flask"):
            results.load.append(
                load.measure(framework, projects[framework], plan.load, log)
            )
    if "serve" in only:
        results.serve = serve.zip_download(plan.serve.runs, plan.serve.warmup, log)


def run(plan: Plan, only: set[str], quick: bool) -> int:
    harness.WORK.mkdir(exist_ok=True)
    started = time.perf_counter()
    machine = harness.machine()
    log("Machine:")
    for key, value in machine.items():
        log(f"  {key}: {value}")
    results = report.Results(machine=machine, plan=plan, quick=quick, sections=only)
    _measure(results, plan, only)
    results.elapsed = time.perf_counter() - started

    text = report.markdown(results)
    complete = only == set(SECTIONS) and not quick
    target = harness.BENCH / "results.md" if complete else harness.WORK / "results.md"
    target.write_text(text)
    print()
    print(text)
    log(f"Written to {target.relative_to(harness.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
