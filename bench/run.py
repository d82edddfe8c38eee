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

SECTIONS = ("cli", "generation", "running", "tests", "load", "serve")


@dataclass(frozen=True)
class Plan:
    cli_runs: int
    cli_warmup: int
    gen_runs: int
    gen_warmup: int
    install_runs: int
    install_warmup: int
    test_runs: int
    test_warmup: int
    load_rounds: int
    load_seconds: float
    load_warmup_seconds: float
    profile_seconds: float
    workers: int = 2
    threads: int = 2
    connections: int = 16
    serve_runs: int = 10
    serve_warmup: int = 2


FULL = Plan(20, 3, 10, 2, 2, 1, 3, 1, 3, 5, 2, 8)
QUICK = Plan(5, 1, 3, 1, 1, 1, 2, 1, 1, 3, 1, 4, serve_runs=4, serve_warmup=1)


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


def run(plan: Plan, only: set[str], quick: bool) -> int:
    harness.WORK.mkdir(exist_ok=True)
    started = time.perf_counter()
    machine = harness.machine()
    log("Machine:")
    for key, value in machine.items():
        log(f"  {key}: {value}")
    results = report.Results(machine=machine, plan=plan, quick=quick, sections=only)

    if "cli" in only:
        results.cli = generation.cli_start(plan.cli_runs, plan.cli_warmup, log)
    if "generation" in only:
        results.generation = generation.generation(plan.gen_runs, plan.gen_warmup, log)
        default = results.generation["pairs"][0][0]
        floor = results.generation["startproject"]
        share = harness.ratio(default.median, floor.median)
        if share is not None and share > report.GENERATION_GOAL:
            log("    profiling webdev-new (django, default) under cProfile")
            try:
                results.generation_profile = generation.profile_generation()
            except (OSError, subprocess.CalledProcessError) as error:
                log(f"    profile failed: {error}")
    projects: dict[str, object] = {"django": None, "flask": None}
    if only & {"running", "tests", "load"}:
        # The later sections use the projects that this one installed.
        results.running = running.time_to_running(
            plan.install_runs, plan.install_warmup, ["django", "flask"], log
        )
        for item in results.running:
            if item.installer == "uv" and item.project is not None:
                projects[item.framework] = item.project
    if "tests" in only:
        results.tests = running.test_suites(
            projects, plan.test_runs, plan.test_warmup, log
        )
    if "load" in only:
        for framework in ("django", "flask"):
            results.load.append(
                load.measure(
                    framework,
                    projects[framework],
                    workers=plan.workers,
                    seconds=plan.load_seconds,
                    rounds=plan.load_rounds,
                    warmup_seconds=plan.load_warmup_seconds,
                    threads=plan.threads,
                    connections=plan.connections,
                    profile_seconds=plan.profile_seconds,
                    log=log,
                )
            )
    if "serve" in only:
        results.serve = serve.zip_download(plan.serve_runs, plan.serve_warmup, log)
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
