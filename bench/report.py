"""The Markdown report: goals first, then each section's figures and how they
were taken."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from typing import Any

import harness
import load
from harness import fmt_ratio, fmt_seconds, ratio

GENERATION_GOAL = 1.3
CLI_GOAL = 1.0
RUNNING_GOAL = 20.0
TESTS_GOAL = 3.0
SERVE_GOAL = 1.0
#: ``flask run`` to its first 200, seconds.
DEV_START_GOAL = 2.0
#: Total PSS of the generated Flask server over the bare Flask app's.
PSS_GOAL = 1.2


@dataclass
class Results:
    machine: dict[str, str]
    plan: Any
    quick: bool
    sections: set[str]
    cli: dict | None = None
    generation: dict | None = None
    generation_profile: list = field(default_factory=list)
    update: dict | None = None
    running: list = field(default_factory=list)
    dev_start: list = field(default_factory=list)
    tests: list = field(default_factory=list)
    load: list = field(default_factory=list)
    serve: dict | None = None
    elapsed: float = 0.0


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**missed**")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def _rps(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


def _ms(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value * 1000:.2f} ms" if value < 0.01 else f"{value * 1000:.1f} ms"


def _mib(kib: int | None) -> str:
    return "n/a" if kib is None else f"{kib / 1024:.1f} MiB"


def _command_goals(results: Results) -> list[list[str]]:
    """Goals 1-2: the command's start and generation."""
    rows: list[list[str]] = []
    if results.cli:
        ours, reference = results.cli["cases"]
        value = results.cli["ratio"]
        rows.append(
            [
                "1. CLI start: `webdev-new --help` / `django-admin --help`",
                fmt_ratio(value),
                f"<= {CLI_GOAL}",
                _verdict(None if value is None else value <= CLI_GOAL),
            ]
        )
    if results.generation:
        floor = results.generation["startproject"]
        for ours, _ in results.generation["pairs"]:
            if "default" not in ours.label:
                continue
            value = ratio(ours.median, floor.median)
            rows.append(
                [
                    f"2. Generation, {ours.label.split('(')[1].rstrip(')')} project"
                    " / `django-admin startproject`",
                    fmt_ratio(value) + "x",
                    f"<= {GENERATION_GOAL}x",
                    _verdict(None if value is None else value <= GENERATION_GOAL),
                ]
            )
    return rows


def _project_goals(results: Results) -> list[list[str]]:
    """Goals 3-4: a running app and the generated test suites."""
    rows: list[list[str]] = []
    for item in results.running:
        goal = f"< {RUNNING_GOAL:.0f} s" if item.installer == "uv" else "reported"
        ok = None
        if item.installer == "uv" and item.median is not None:
            ok = item.median < RUNNING_GOAL
        rows.append(
            [
                f"3. Time to a running app, {item.framework}, {item.installer}",
                fmt_seconds(item.median) if item.median else f"failed: {item.failure}",
                goal,
                _verdict(ok),
            ]
        )
    for item in results.dev_start:
        name = "`flask run`" if item.framework == "flask" else "`manage.py runserver`"
        goal = f"<= {DEV_START_GOAL:.0f} s" if item.framework == "flask" else "reported"
        ok = None
        if item.framework == "flask" and item.median is not None:
            ok = item.median <= DEV_START_GOAL
        rows.append(
            [
                f"3. Development server start, {name} to the first 200",
                fmt_seconds(item.median) if item.times else f"failed: {item.failure}",
                goal,
                _verdict(ok),
            ]
        )
    for suite in results.tests:
        ok = None if suite.median is None else suite.median < TESTS_GOAL
        rows.append(
            [
                f"4. `pytest` in the default {suite.framework} project",
                fmt_seconds(suite.median)
                if suite.median
                else f"failed: {suite.failure}",
                f"< {TESTS_GOAL:.0f} s",
                _verdict(ok),
            ]
        )
    return rows


def _load_goals(results: Results) -> list[list[str]]:
    """Goals 5-6: throughput, CPU and memory under gunicorn."""
    rows: list[list[str]] = []
    for item in results.load:
        for comparison in item.comparisons:
            name = (
                f"5. Throughput, {item.framework} {comparison.label}, "
                "generated / reference req/s"
            )
            if item.failure or item.generated is None:
                rows.append(
                    [name, f"failed: {item.failure}", f">= {comparison.goal}", "n/a"]
                )
                continue
            value, cpu = item.ratios(comparison)
            rows.append(
                [
                    name,
                    f"{fmt_ratio(value)} (CPU per request: {fmt_ratio(cpu)})",
                    f">= {comparison.goal}",
                    _verdict(None if value is None else value >= comparison.goal),
                ]
            )
    rows += _login_cpu_goal(results)
    for item in results.load:
        if item.failure or item.generated is None or item.reference is None:
            continue
        value = ratio(item.generated.peak_rss_kib, item.reference.peak_rss_kib)
        rows.append(
            [
                f"6. Peak RSS of a worker, {item.framework}, "
                "generated / bare reference",
                fmt_ratio(value),
                "reported",
                "n/a",
            ]
        )
        value = ratio(item.generated.pss_kib, item.reference.pss_kib)
        flask = item.framework == "flask"
        rows.append(
            [
                f"6. Total PSS (master + workers), {item.framework}, "
                "generated / bare reference",
                f"{fmt_ratio(value)} ({_mib(item.generated.pss_kib)} / "
                f"{_mib(item.reference.pss_kib)})",
                f"<= {PSS_GOAL}" if flask else "reported",
                _verdict(None if value is None or not flask else value <= PSS_GOAL),
            ]
        )
    return rows


def _login_cpu_goal(results: Results) -> list[list[str]]:
    """Flask's login page may use no more worker CPU than Django's."""
    cpu = {}
    for item in results.load:
        if item.generated is not None:
            cpu[item.framework] = item.generated.cpu(load.LOGIN[item.framework])
    if "flask" not in cpu or "django" not in cpu:
        return []
    value = ratio(cpu["flask"], cpu["django"])
    return [
        [
            "5. Worker CPU per request on the login page, flask / django "
            "(generated projects)",
            f"{fmt_ratio(value)} ({_ms(cpu['flask'])} / {_ms(cpu['django'])})",
            "<= 1.0",
            _verdict(None if value is None else value <= 1.0),
        ]
    ]


def _serve_goals(results: Results) -> list[list[str]]:
    """Goal 7: the zip download of webdev-new serve."""
    rows: list[list[str]] = []
    if results.serve and results.serve["download"].total:
        value = ratio(
            harness.median(results.serve["download"].total),
            results.serve["cli"].median,
        )
        rows.append(
            [
                "7. `GET /starter.zip` (default) / `webdev-new NAME --yes --no-git`",
                fmt_ratio(value),
                f"<= {SERVE_GOAL}",
                _verdict(None if value is None else value <= SERVE_GOAL),
            ]
        )
    return rows


def _goals(results: Results) -> list[list[str]]:
    return [
        *_command_goals(results),
        *_project_goals(results),
        *_load_goals(results),
        *_serve_goals(results),
    ]


def _update_section(update: dict, plan: Any) -> list[str]:
    """Section 2b: update and add against generating the same project."""
    out = ["## 2b. Keeping a project up to date", ""]
    reference = update["generate"]
    rows = [
        [
            case.label,
            fmt_seconds(case.median),
            case.spread(),
            str(len(case.times)),
            fmt_ratio(ratio(case.median, reference.median)),
            case.failure or "",
        ]
        for case in (update["update"], update["add"], reference)
    ]
    out += _table(
        ["command", "median", "range", "runs", "/ generation", "failure"], rows
    )
    out.append(
        f"Warm-up rounds: {plan.generation.warmup}. The default Django project, "
        "generated with its git repository; `update` runs in one such project "
        "(nothing to merge: it renders, compares and stops), `add celery` in a "
        "fresh copy each round (render, template-branch commit, `git merge`)."
    )
    out.append("")
    return out


def _case_row(
    label: str, case: Any, to_floor: str = "", to_plain: str = ""
) -> list[str]:
    """One timed command: its figures, its ratios to the references, its failure."""
    return [
        label,
        fmt_seconds(case.median),
        case.spread(),
        str(len(case.times)),
        to_floor,
        to_plain,
        case.failure or "",
    ]


def _generation_rows(results: Results) -> list[list[str]]:
    """The command's start, then each generation beside plain cookiecutter and
    ``django-admin startproject``."""
    rows = []
    if results.cli:
        rows += [_case_row(f"`{case.label}`", case) for case in results.cli["cases"]]
    if results.generation:
        floor = results.generation["startproject"]
        for ours, plain in results.generation["pairs"]:
            rows.append(
                _case_row(
                    ours.label,
                    ours,
                    fmt_ratio(ratio(ours.median, floor.median)),
                    fmt_ratio(ratio(ours.median, plain.median)),
                )
            )
            rows.append(
                _case_row(
                    plain.label, plain, fmt_ratio(ratio(plain.median, floor.median))
                )
            )
        rows.append(_case_row(floor.label, floor, "1.00"))
    return rows


def _generation_profile(results: Results) -> list[str]:
    """Where the default Django generation spends its time, when profiled."""
    if not results.generation_profile:
        return []
    out = [
        "The default Django generation misses its goal; one run of it under "
        "cProfile (wall time, so waiting for a subprocess counts) spends "
        "its time here, as cumulative shares (the rows nest):",
        "",
    ]
    rows = [[f"`{name}`", f"{share:.0%}"] for name, share in results.generation_profile]
    return out + _table(["function", "cumulative share"], rows)


def _generation_section(results: Results) -> list[str]:
    """Commands' start and generation against their references."""
    plan = results.plan
    out = ["## 1-2. Command start and generation", ""]
    out += _table(
        [
            "command",
            "median",
            "range",
            "runs",
            "/ startproject",
            "/ cookiecutter",
            "failure",
        ],
        _generation_rows(results),
    )
    out.append(
        f"Warm-up rounds: {plan.cli.warmup} (start), "
        f"{plan.generation.warmup} (generation). "
        "Commands are run by absolute path (no version-manager shim), each "
        "generation in a fresh empty directory, with `--yes --no-git`. "
        '"every feature" is `--database postgresql --auth --admin --i18n '
        "--tasks celery --hosting docker,heroku,render,fly --ci github`. "
        "The cookiecutter rows render the same template with the same answers "
        "through the plain `cookiecutter --no-input` command (answers in a "
        "`--config-file`, since its command line cannot set the `hosting` dict)."
    )
    out.append("")
    return out + _generation_profile(results)


def _install_rows(results: Results) -> list[list[str]]:
    """From the command to a running development server, per installer."""
    return [
        [
            item.framework,
            item.installer,
            fmt_seconds(item.median) if item.total else "n/a",
            fmt_seconds(min(item.total)) + " - " + fmt_seconds(max(item.total))
            if item.total
            else "n/a",
            fmt_seconds(harness.median(item.install)) if item.install else "n/a",
            str(len(item.total)),
            item.failure or "",
        ]
        for item in results.running
    ]


def _dev_start(results: Results) -> list[str]:
    """The installed projects' development servers, from start to first 200."""
    if not results.dev_start:
        return []
    rows = [
        [
            item.framework,
            f"`{shlex.join(item.argv)}`" if item.argv else "",
            fmt_seconds(item.median) if item.times else "n/a",
            f"{fmt_seconds(min(item.times))} - {fmt_seconds(max(item.times))}"
            if item.times
            else "n/a",
            str(len(item.times)),
            item.failure or "",
        ]
        for item in results.dev_start
    ]
    out = _table(
        ["framework", "command", "to first 200", "range", "runs", "failure"],
        rows,
    )
    out.append(
        "The development server of the project installed above (its `.env` "
        "in place, so debug and the reloader are on), from its start to the "
        "first 200 from `/healthz`, polled every 50 ms; the frameworks "
        f"interleaved, after {results.plan.dev_start.warmup} warm-up run each."
    )
    out.append("")
    return out


def _running_section(results: Results) -> list[str]:
    """Time from the command to a running development server."""
    plan = results.plan
    out = ["## 3. Time to a running app", ""]
    out += _table(
        [
            "framework",
            "installer",
            "to first 200",
            "range",
            "of which webdev-new --install",
            "runs",
            "failure",
        ],
        _install_rows(results),
    )
    out.append(
        "From the start of `webdev-new mysite --yes --install` (git included) "
        "to "
        "the first 200 from `/healthz` of the development server started with "
        "the command it prints (given a free port on 127.0.0.1), polled every "
        f"50 ms. {plan.install.warmup} warm-up run per row fills the package "
        "cache first. uv: uv on PATH; pip: the same PATH without any directory "
        "holding uv, so the command falls back to pip."
    )
    out.append("")
    return out + _dev_start(results)


def _tests_section(results: Results) -> list[str]:
    """The generated projects' own test suites."""
    plan = results.plan
    out: list[str] = []
    out.append("## 4. Generated test suites")
    out.append("")
    rows = [
        [
            suite.framework,
            fmt_seconds(suite.median),
            f"{fmt_seconds(min(suite.times))} - {fmt_seconds(max(suite.times))}"
            if suite.times
            else "n/a",
            fmt_seconds(harness.median(suite.cpu)) if suite.cpu else "n/a",
            str(len(suite.times)),
            suite.summary,
            suite.failure or "",
        ]
        for suite in results.tests
    ]
    out += _table(
        [
            "project",
            "median",
            "range",
            "CPU (user + system)",
            "runs",
            "last summary",
            "failure",
        ],
        rows,
    )
    out.append(
        "`pytest -q` at the root of the default project installed above "
        f"(its `.venv`, dev extra); only the pytest run is timed, after "
        f"{plan.tests.warmup} warm-up run. The wall time includes the "
        "interpreter start, plugin loading and collection, which pytest's own "
        '"in N s" leaves out. Slowest steps (`--durations=5`, one more run):'
    )
    out.append("")
    for suite in results.tests:
        for line in suite.slowest:
            out.append(f"- {suite.framework}: `{line}`")
    out.append("")
    return out


def _load_rows(results: Results) -> list[list[str]]:
    """One row per framework and comparison: generated against reference."""
    rows = []
    for item in results.load:
        if item.failure or item.generated is None:
            rows.append([item.framework, *[""] * 8, f"failed: {item.failure}"])
            continue
        for comparison in item.comparisons:
            gen, ref = item.generated, item.server(comparison.reference)
            if ref is None or comparison not in item.loaded:
                continue
            path, other = comparison.path, comparison.reference_path
            value, cpu = item.ratios(comparison)
            bad = gen.bad(path) + ref.bad(other)
            rows.append(
                [
                    item.framework,
                    comparison.label,
                    f"{_rps(gen.rps(path))} / {_rps(ref.rps(other))}",
                    fmt_ratio(value),
                    f"{_ms(gen.p99(path))} / {_ms(ref.p99(other))}",
                    fmt_ratio(ratio(gen.p99(path), ref.p99(other))),
                    f"{_ms(gen.cpu(path))} / {_ms(ref.cpu(other))}",
                    fmt_ratio(cpu),
                    f"{bad} bad responses" if bad else "",
                ]
            )
    return rows


def _memory_rows(results: Results) -> list[list[str]]:
    rows = []
    for item in results.load:
        for server in (item.generated, item.reference, item.equal):
            if server is None or item.failure:
                continue
            rows.append(
                [
                    item.framework,
                    server.label,
                    _mib(server.peak_rss_kib),
                    _mib(server.pss_kib),
                ]
            )
    return rows


_LOAD_HEADER = [
    "framework",
    "path",
    "req/s generated / reference",
    "ratio",
    "p99 generated / reference",
    "p99 ratio",
    "worker CPU per request generated / reference",
    "reference / generated CPU",
    "note",
]
_MEMORY_HEADER = ["framework", "app", "peak worker RSS", "total PSS, master + workers"]


def _load_method(load_plan: Any) -> str:
    """How the load was applied and what each figure measures."""
    return (
        f"wrk `-t{load_plan.threads} -c{load_plan.connections} "
        f"-d{load_plan.seconds:g}s` against "
        f"gunicorn with {load_plan.workers} sync workers for each app, all apps up at "
        f"once and each page loaded in turn, {load_plan.rounds} rounds after "
        f"{load_plan.warmup_seconds:g} s of warm-up per path; medians of the "
        "rounds. Production settings: `DEBUG=false`, a `SECRET_KEY`, "
        "`ALLOWED_HOSTS=127.0.0.1` (Django); `FLASK_DEBUG` unset and a "
        "`SECRET_KEY` (Flask); the development `.env` set aside, SQLite. Every "
        "request carries `X-Forwarded-Proto: https`, as from a TLS-terminating "
        "proxy (the generated Django project redirects plain HTTP in "
        "production). The reference apps run with the generated project's "
        "own virtual environment, so the framework and gunicorn versions match. "
        "Peak RSS is the largest `VmHWM` among the workers after the load; "
        "total PSS is the sum of `Pss` in `/proc/PID/smaps_rollup` of the "
        "master and its workers after the load (pages shared between them "
        "count once). "
        "Worker CPU per request is the user + system time the workers used "
        "during a wrk run (from `/proc`) over the requests wrk completed: it "
        "depends much less on what else the machine runs than req/s, so "
        "its ratio (reference / generated, comparable to the req/s ratio) "
        "is the steadier figure on a busy machine."
    )


def _load_sources(results: Results) -> list[str]:
    """Which app each row measured, and the notes the run left."""
    out = []
    for item in results.load:
        if item.generated is None or item.reference is None:
            continue
        out.append(f"- {item.framework}, generated: `{item.generated.source}`")
        out.append(f"- {item.framework}, bare reference: `{item.reference.source}`")
        if item.equal is not None:
            out.append(
                f"- {item.framework}, equal-work reference: `{item.equal.source}`"
            )
    for item in results.load:
        for note in item.notes:
            out.append(f"- {item.framework}: {note}")
    return out


#: What the reference apps do, beside the generated ones.
_LOAD_REFERENCES = (
    "Bare references: Django, a bare `django-admin startproject` with "
    "Django's default middleware, a home view rendering a base + child "
    "template (static link, `{% url %}` nav links, messages, "
    "`{% translate %}`) and a plain `JsonResponse` health view; Flask, a "
    "one-file app rendering a page like the generated home page (base + "
    "child template, `url_for` links, the form's markup without a CSRF "
    "token, no database query) and a health view returning a dict. The "
    "links point at stand-in routes so both pages build as many URLs. "
    "Equal-work references: Flask, a one-file app rendering the generated "
    "project's own templates (copied) with the same Flask-WTF forms and "
    "their CSRF token, running the home page's query (the ten newest "
    "messages) with SQLAlchemy Core on the generated project's database, "
    "and nothing else per request (no security headers, host check, login "
    "manager, WhiteNoise or access log), checked to serve the generated "
    "home and login pages byte for byte (CSRF tokens aside) before the "
    "load; Django, for the home page a "
    "one-file Django app rendering the generated project's own templates "
    "(read in place) with the home view's context, the same context "
    "processors, static URLs from the project's collected manifest and "
    "only the middleware the page needs (sessions, CSRF, authentication, "
    "messages: no health-check, security, WhiteNoise, common, clickjacking "
    "or error-page middleware, no access log, no database), checked to "
    "serve the same page byte for byte before the load; for the login "
    "page Django's own `LoginView` (its form and a CSRF token) in the bare "
    "reference project, with a template shaped like the generated one. "
    "Sources: `bench/reference/`."
)


def _load_section(results: Results) -> list[str]:
    """gunicorn under wrk: the generated apps against their references."""
    out = ["## 5-6. Throughput, latency and memory under gunicorn", ""]
    out += _table(_LOAD_HEADER, _load_rows(results))
    out += _table(_MEMORY_HEADER, _memory_rows(results))
    out += [_load_method(results.plan.load), ""]
    out += _load_sources(results)
    out += ["", _LOAD_REFERENCES, ""]
    return out + _memory_section(results) + _profiles(results)


_SHARE_HEADER = ["app", "process", "Rss", "Pss", "shared", "private", "Private_Dirty"]
#: How many packages the import table lists, largest first.
TOP_PACKAGES = 8


def _share_rows(item: Any) -> list[list[str]]:
    """One row a process of each app: its pages after the load."""
    rows = []
    for server in (item.generated, item.reference, item.equal):
        if server is None:
            continue
        for process in server.shares:
            kib = process.kib
            shared = kib.get("Shared_Clean", 0) + kib.get("Shared_Dirty", 0)
            private = kib.get("Private_Clean", 0) + kib.get("Private_Dirty", 0)
            rows.append(
                [
                    server.label,
                    process.role,
                    _mib(kib.get("Rss")),
                    _mib(kib.get("Pss")),
                    _mib(shared),
                    _mib(private),
                    _mib(kib.get("Private_Dirty")),
                ]
            )
    return rows


def _footprint_rows(item: Any) -> list[list[str]]:
    """What each import step added to the resident size, for the steps of
    the generated app that added most, beside the same step in the
    references; then the rest, the whole, and the module count."""
    servers = [s for s in (item.generated, item.reference, item.equal) if s]
    prints = [s.footprint for s in servers]
    if not prints or prints[0] is None or prints[0].failure:
        return []
    steps = [dict(p.steps) if p and not p.failure else None for p in prints]

    def cells(value: Any) -> list[str]:
        return [
            value(p, d) if d is not None else "n/a"
            for p, d in zip(prints, steps, strict=True)
        ]

    largest = sorted(prints[0].steps, key=lambda step: step[1], reverse=True)
    top = [name for name, _ in largest[:TOP_PACKAGES]]
    rows = [
        [f"`{name}`", *cells(lambda p, d, n=name: _mib(d.get(n, 0)))] for name in top
    ]
    rows.append(
        [
            "everything else",
            *cells(lambda p, d: _mib(sum(v for n, v in d.items() if n not in top))),
        ]
    )
    rows.append(["the interpreter alone", *cells(lambda p, d: _mib(p.start_kib))])
    rows.append(["resident size with the app", *cells(lambda p, d: _mib(p.rss_kib))])
    rows.append(["modules loaded", *cells(lambda p, d: str(p.modules))])
    return rows


def _memory_section(results: Results) -> list[str]:
    """Where each server's memory goes: per process, and per package."""
    out: list[str] = []
    for item in results.load:
        if item.failure or item.generated is None or not item.generated.shares:
            continue
        labels = [s.label for s in (item.generated, item.reference, item.equal) if s]
        out += [f"### Where the memory goes: {item.framework}", ""]
        out += _table(
            _SHARE_HEADER,
            _share_rows(item),
        )
        footprint = _footprint_rows(item)
        if footprint:
            out += _table(["resident size added by importing", *labels], footprint)
        failures = [
            f"{s.label}: {s.footprint.failure}"
            for s in (item.generated, item.reference, item.equal)
            if s and s.footprint and s.footprint.failure
        ]
        out += [f"- import probe failed: {f}" for f in failures]
        out += [_MEMORY_METHOD, ""]
    return out


_MEMORY_METHOD = (
    "Each process's pages from `/proc/PID/smaps_rollup` after the load: "
    "*shared* pages are mapped by more than one process (the master's imports, "
    "which a worker has only read), *private* ones by this process alone; "
    "Pss divides each shared page among the processes that map it. "
    "Import table: a fresh interpreter of the project's virtual environment, "
    "in the app's directory with the server's environment, imports the "
    "modules of the standard library the app loads, then, package by "
    "package, the modules of each third-party package the app loads "
    "(packages that load fewer other packages first), then the app's WSGI "
    "module (the app factory runs, as in gunicorn's master with "
    "`preload_app`); each row is what that step added to the resident size "
    "(`VmRSS`). The top rows are the generated app's largest steps; the "
    "references' columns show the same steps of their "
    "own import, where they have them."
)


def markdown(results: Results) -> str:
    plan = results.plan
    out: list[str] = ["# Benchmarks", ""]
    out.append(
        "Written by `python bench/run.py`; do not edit by hand. Every figure is "
        "the median of several runs after warm-up, each set beside its reference "
        "measured in the same run with the runs interleaved (A, B, A, B ...), "
        "so the ratios mean more than the absolute times on a shared machine."
    )
    if results.quick:
        out.append("")
        out.append("**Quick run (`--quick`): few repetitions, figures are rough.**")
    out.append("")
    out.append("## Machine")
    out.append("")
    out += _table(["", ""], [[k, v] for k, v in results.machine.items()])
    out.append("## Goals")
    out.append("")
    out += _table(["measure", "figure", "goal", ""], _goals(results))

    if results.cli or results.generation:
        out += _generation_section(results)

    if results.update:
        out += _update_section(results.update, plan)

    if results.running:
        out += _running_section(results)

    if results.tests:
        out += _tests_section(results)

    if results.load:
        out += _load_section(results)

    out += _serve(results)
    out.append(f"Run time of the whole suite: {results.elapsed / 60:.1f} min.")
    out.append("")
    return "\n".join(out)


def _per_request(prof, samples: int) -> str:
    value = prof.ms_per_request(samples)
    return "n/a" if value is None else f"{value:.2f} ms"


def _profile_pair(item: Any, comparison: Any) -> tuple[Any, Any, str] | None:
    """The generated app's profile of a path and its reference's, with the
    reference's label; None when either is missing."""
    reference = item.server(comparison.reference)
    label = reference.label if reference else ""
    gen = next(
        (
            p
            for p in item.profiles
            if p.path == comparison.path and p.label == "generated"
        ),
        None,
    )
    ref = next(
        (
            p
            for p in item.profiles
            if p.path == comparison.reference_path and p.label == label
        ),
        None,
    )
    if gen is None or ref is None:
        return None
    return gen, ref, label


def _profile_tables(gen: Any, ref: Any, label: str) -> list[str]:
    """Active time per request by category, then the generated app's functions."""
    rows = [
        [
            "all active time",
            _per_request(gen, gen.samples),
            _per_request(ref, ref.samples),
        ]
    ]
    for name in load.CATEGORIES:
        rows.append(
            [
                name,
                _per_request(gen, gen.categories.get(name, 0)),
                _per_request(ref, ref.categories.get(name, 0)),
            ]
        )
    out = _table(["active time per request (py-spy)", "generated", label], rows)
    rows = [[f"`{name}`", f"{share:.0%}"] for name, share in gen.inclusive]
    out += _table(
        [f"generated: functions on the stack ({gen.samples} samples)", "share"],
        rows,
    )
    rows = [[f"`{name}`", f"{share:.0%}"] for name, share in gen.own[:8]]
    return out + _table(["generated: functions on top of the stack", "share"], rows)


def _profiles(results: Results) -> list[str]:
    items = [item for item in results.load if item.profiles]
    if not items:
        return []
    out = ["### Profiles where a throughput goal is missed", ""]
    seconds = results.plan.load.profile_seconds
    out.append(
        f"py-spy ({load.RATE} samples/s, active samples only) on one worker of "
        f"each app during {seconds:g} s of the same load. Active time "
        "per request = samples / rate / requests that worker answered (wrk's "
        "count split evenly between the workers). A sample counts in every "
        "category with a frame on its stack, so the rows overlap; the first row "
        "is all active time. Raw stacks: `bench/.work/profile-*.txt`."
    )
    out.append("")
    for item in items:
        for comparison in item.comparisons:
            pair = _profile_pair(item, comparison)
            if pair is None:
                continue
            out += [f"#### {item.framework} {comparison.label}", ""]
            out += _profile_tables(*pair)
    return out


def _serve(results: Results) -> list[str]:
    if not results.serve:
        return []
    cli, download = results.serve["cli"], results.serve["download"]
    first = harness.median(download.first_byte) if download.first_byte else None
    total = harness.median(download.total) if download.total else None
    out = ["## 7. webdev-new serve: downloading the default project", ""]
    rows = [
        [
            "`GET /starter.zip`, first byte",
            fmt_seconds(first),
            str(len(download.first_byte)),
            fmt_ratio(ratio(first, cli.median)),
            download.failure or "",
        ],
        [
            "`GET /starter.zip`, whole zip",
            fmt_seconds(total),
            str(len(download.total)),
            fmt_ratio(ratio(total, cli.median)),
            download.failure or "",
        ],
        [
            f"`{cli.label}`",
            fmt_seconds(cli.median),
            str(len(cli.times)),
            "1.00",
            cli.failure or "",
        ],
    ]
    out += _table(["measure", "median", "runs", "/ command", "failure"], rows)
    out.append(
        f"The zip is {download.size / 1024:.0f} KiB. `webdev-new serve --workers 2` "
        "on 127.0.0.1, a new connection per download; the command runs in a "
        "fresh directory each time. The two alternate which goes first in each "
        "round. The server renders in warm worker processes (no interpreter "
        "start or imports per request) and sends the zip with a Content-Length "
        "once it is built, so the first byte and the last are close."
    )
    out.append("")
    return out
