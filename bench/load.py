"""Sections 5 and 6: throughput, p99 latency and memory of the default
generated project under gunicorn against two reference apps on the same
gunicorn, the same worker count and the same installed packages: a bare app
serving an equivalent page, and an app doing the same work as the generated
page (the same templates, forms with their CSRF token, the same query); and a
py-spy profile of both sides of every comparison that misses its goal."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shlex
import shutil
import subprocess
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import harness
import memory

from testkit import deployment, environment, net, processes

REFERENCE = harness.BENCH / "reference"
# A TLS-terminating proxy in front of the app says the request came over
# HTTPS; without it the generated Django project (SECURE_SSL_REDIRECT in
# production) answers every page with a redirect.  Sent to both apps.
HEADERS = {"X-Forwarded-Proto": "https"}


@dataclass(frozen=True)
class Comparison:
    """One ratio: ``path`` of the generated app against ``reference_path`` of
    the reference app named ``reference`` (``bare`` or ``equal``)."""

    path: str
    reference: str
    reference_path: str
    goal: float
    #: What the reference page does: ``bare`` or ``equal-work``.
    kind: str = "bare"

    @property
    def label(self) -> str:
        return f"`{self.path}` / {self.kind} `{self.reference_path}`"


#: The login page of each generated project.
LOGIN = {"django": "/accounts/login/", "flask": "/auth/login"}


def comparisons(framework: str) -> list[Comparison]:
    """The bare ratios of the first version of this benchmark, then the
    equal-work ones: pages against an app that does the same work the plain
    way.  Each framework's equal-work app is an app of its own that renders
    the generated project's own templates (Flask's with Flask-WTF and
    SQLAlchemy, Django's with the home view's context and the middleware the
    page needs); Django's login page is Django's own ``LoginView`` in the
    bare reference project."""
    login = LOGIN[framework]
    if framework == "django":
        return [
            Comparison("/healthz", "bare", "/healthz", 0.9),
            Comparison("/", "bare", "/", 0.8),
            Comparison("/", "equal", "/", 0.8, kind="equal-work"),
            Comparison(login, "bare", login, 0.8, kind="equal-work"),
        ]
    return [
        Comparison("/healthz", "bare", "/healthz", 0.9),
        Comparison("/", "bare", "/", 0.8),
        Comparison("/", "equal", "/", 0.8, kind="equal-work"),
        Comparison(login, "equal", login, 0.8, kind="equal-work"),
    ]


@dataclass
class Sample:
    rps: float
    p99: float  # seconds
    bad: int  # non-2xx/3xx responses and socket errors
    requests: int = 0
    cpu: float | None = None  # worker CPU seconds per request


@dataclass
class Server:
    label: str
    argv: list[str]
    cwd: Path
    env: dict[str, str]
    source: str  # where the command came from
    port: int = 0
    process: subprocess.Popen | None = None
    log: Path | None = None
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    status: dict[str, int] = field(default_factory=dict)
    peak_rss_kib: int | None = None
    #: Proportional set size of the master and its workers after the load:
    #: pages shared between them count once in the total.
    pss_kib: int | None = None
    #: Each process's share of those pages, master first.
    shares: list[memory.ProcessMemory] = field(default_factory=list)
    #: What importing the app costs a fresh interpreter.
    footprint: memory.ImportFootprint | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def rps(self, path: str) -> float | None:
        values = [s.rps for s in self.samples.get(path, [])]
        return harness.median(values) if values else None

    def p99(self, path: str) -> float | None:
        values = [s.p99 for s in self.samples.get(path, [])]
        return harness.median(values) if values else None

    def cpu(self, path: str) -> float | None:
        values = [s.cpu for s in self.samples.get(path, []) if s.cpu]
        return harness.median(values) if values else None

    def bad(self, path: str) -> int:
        return sum(s.bad for s in self.samples.get(path, []))


@dataclass
class Profile:
    label: str  # generated or reference
    path: str
    samples: int  # active samples of the profiled worker
    requests: float  # requests that worker answered meanwhile (estimated)
    inclusive: list[tuple[str, float]]
    own: list[tuple[str, float]]
    categories: dict[str, int]  # samples with a frame of the category
    raw: Path

    def ms_per_request(self, samples: int) -> float | None:
        if not self.requests:
            return None
        return samples * 1000 / RATE / self.requests


@dataclass
class FrameworkLoad:
    framework: str
    generated: Server | None = None
    reference: Server | None = None
    #: The equal-work reference.
    equal: Server | None = None
    comparisons: list[Comparison] = field(default_factory=list)
    workers: int = 0
    failure: str | None = None
    profiles: list[Profile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Comparisons every app answered with 200.
    loaded: list[Comparison] = field(default_factory=list)

    def server(self, reference: str) -> Server | None:
        return self.reference if reference == "bare" else self.equal

    def ratios(self, comparison: Comparison) -> tuple[float | None, float | None]:
        """req/s generated / reference, and CPU per request reference /
        generated, for ``comparison``."""
        gen, ref = self.generated, self.server(comparison.reference)
        if gen is None or ref is None or comparison not in self.loaded:
            return None, None
        path, other = comparison.path, comparison.reference_path
        return (
            harness.ratio(gen.rps(path), ref.rps(other)),
            harness.ratio(ref.cpu(other), gen.cpu(path)),
        )


# --------------------------------------------------------------------------
# wrk


_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def _seconds(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> Sample:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    if not rps or not p99:
        raise ValueError(f"unexpected wrk output: {output[-300:]!r}")
    bad = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        bad += int(non_2xx.group(1))
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if errors:
        # Read errors count closed connections; the sync worker closes each
        # one after its response, so only connect, write and timeout count.
        bad += int(errors.group(1)) + int(errors.group(3)) + int(errors.group(4))
    count = re.search(r"(\d+) requests in", output)
    requests = int(count.group(1)) if count else 0
    return Sample(float(rps.group(1)), _seconds(p99.group(1)), bad, requests)


def wrk(url: str, seconds: float, threads: int, connections: int) -> Sample:
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency"]
    for name, value in HEADERS.items():
        argv += ["-H", f"{name}: {value}"]
    done = subprocess.run(
        [*argv, url], capture_output=True, text=True, timeout=seconds + 60
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr.strip()[:200]}")
    return parse_wrk(done.stdout)


# --------------------------------------------------------------------------
# Processes


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return sorted(found)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the workers of gunicorn master ``pid``."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for child in children(pid):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def total_pss_kib(pid: int) -> int | None:
    """Pss of gunicorn master ``pid`` and its workers, from smaps_rollup."""
    total = 0
    for each in [pid, *children(pid)]:
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{each}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
    return total or None


def peak_rss_kib(pid: int) -> int | None:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


def production_command(project: Path) -> tuple[list[str], str]:
    """The gunicorn command the project deploys with (the Procfile's web
    process, else the Dockerfile's CMD) and the file it came from; else
    gunicorn on the application the framework's files provide."""
    for argv, source in deployment.web_commands(project):
        if deployment.gunicorn_app(argv):
            return argv, source
    default = ["gunicorn", deployment.wsgi_target(project)]
    return default, "default (no Procfile or Dockerfile CMD found)"


def _pin(argv: list[str], venv: Path, port: int, workers: int) -> list[str]:
    """Run ``argv`` from ``venv`` on 127.0.0.1:``port`` with ``workers``
    workers: drop its own bind and worker options, keep everything else."""
    kept: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in ("-b", "--bind", "-w", "--workers"):
            skip = True
            continue
        if arg.startswith(("--bind=", "--workers=")):
            continue
        kept.append(arg)
    kept[0] = str(venv / "bin" / kept[0])
    return [*kept, "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]


# --------------------------------------------------------------------------
# The reference apps


def _reference_django(base: Path, venv: Path) -> Path:
    """A bare ``django-admin startproject`` with one home view rendering a
    template and one health view; Django's default middleware."""
    directory = harness.fresh_dir(base / "reference-django")
    subprocess.run(
        [
            str(venv / "bin" / "django-admin"),
            "startproject",
            "reference",
            str(directory),
        ],
        check=True,
        capture_output=True,
    )
    source = REFERENCE / "django"
    shutil.copy(source / "views.py", directory / "reference" / "views.py")
    shutil.copy(source / "urls.py", directory / "reference" / "urls.py")
    shutil.copytree(source / "templates", directory / "templates")
    settings = directory / "reference" / "settings.py"
    settings.write_text(
        settings.read_text() + (source / "settings_tail.txt").read_text()
    )
    return directory


def _reference_flask(base: Path) -> Path:
    directory = base / "reference-flask"
    if directory.exists():
        shutil.rmtree(directory)
    shutil.copytree(REFERENCE / "flask", directory)
    return directory


def _equal_flask(base: Path, project: Path, env: dict[str, str]) -> Path:
    """The equal-work Flask app, with the generated project's templates and
    static files, reading the generated project's database."""
    directory = harness.fresh_dir(base / "equal-flask")
    shutil.copy(REFERENCE / "flask_equal" / "app.py", directory / "app.py")
    package = deployment.package_dir(project)
    shutil.copytree(package / "templates", directory / "templates")
    shutil.copytree(package / "static", directory / "static")
    database = project / "instance" / f"{package.name}.sqlite3"
    env["DATABASE_URL"] = f"sqlite:///{database}"
    env["PACKAGE"] = package.name
    return directory


def _equal_django(base: Path, project: Path, env: dict[str, str]) -> Path:
    """The equal-work Django app, reading the generated project's templates
    directory and collected static files in place, with the home view's
    context and the project's ``USE_I18N`` (from its views and settings)."""
    directory = harness.fresh_dir(base / "equal-django")
    shutil.copy(REFERENCE / "django_equal" / "app.py", directory / "app.py")
    package = deployment.package_dir(project)
    views = (package / "core" / "views.py").read_text()
    database = re.search(r'"database": "([^"]+)"', views)
    i18n = re.search(
        r"^USE_I18N = (True|False)$", (package / "settings.py").read_text(), re.M
    )
    if database is None or i18n is None:
        raise RuntimeError(
            "the generated home view's database label or USE_I18N not found"
        )
    env["TEMPLATES_DIR"] = str(package / "templates")
    env["STATIC_ROOT"] = str(project / "staticfiles")
    env["PACKAGE"] = package.name
    env["DATABASE"] = database.group(1)
    env["USE_I18N"] = i18n.group(1).lower()
    return directory


# --------------------------------------------------------------------------
# Profiles


RATE = 250  # py-spy samples a second

# Where a request's time goes, by the files on the stack.  A sample counts in
# every category that has a frame on its stack, so the rows overlap.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "template rendering": (
        "jinja2/",
        "flask/templating.py",
        "django/template/",
        "django/templatetags/",
        ".html",
    ),
    "database (SQLAlchemy, Django ORM)": (
        "sqlalchemy/",
        "flask_sqlalchemy/",
        "django/db/",
    ),
    "forms and CSRF": ("wtforms/", "flask_wtf/", "django/middleware/csrf.py"),
    "sessions and login": (
        "itsdangerous/",
        "flask/sessions.py",
        "flask_login/",
        "django/contrib/sessions/",
        "django/contrib/auth/",
    ),
    "logging (access log, app log)": ("logging/", "gunicorn/glogging.py"),
    "static files (WhiteNoise), own time": (),
    "in socket send/close calls (and waiting for a CPU)": (),
}


def _category_hits(frames: list[str]) -> set[str]:
    hits = set()
    files = [f.rsplit(" (", 1)[-1] for f in frames]
    for name, markers in CATEGORIES.items():
        if markers and any(m in file for file in files for m in markers):
            hits.add(name)
    leaf = frames[-1]
    if "(whitenoise/" in leaf:
        hits.add("static files (WhiteNoise), own time")
    if leaf.startswith(("write (gunicorn/util.py", "close_graceful (gunicorn/util.py")):
        hits.add("in socket send/close calls (and waiting for a CPU)")
    return hits


def _frame_name(frame: str) -> str:
    """``func (package/file.py:12)`` -> ``func (package/file.py)``."""
    match = re.fullmatch(r"(.*) \((.*?)(?::\d+)?\)", frame)
    if not match:
        return frame
    func, filename = match.groups()
    if "site-packages/" in filename:
        filename = filename.split("site-packages/", 1)[1]
    return f"{func} ({filename})"


def summarise_profile(
    raw: Path, label: str, path: str, requests: float, top: int = 15
) -> Profile:
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_frame_name(f) for f in stack.split(";") if f]
        # py-spy's first frame names the process/thread: not a function.
        frames = [f for f in frames if not f.startswith(("process ", "thread "))]
        if not frames:
            continue
        total += count
        for name in set(frames):
            inclusive[name] += count
        own[frames[-1]] += count
        for name in _category_hits(frames):
            categories[name] += count
    shares = [(name, n / total) for name, n in inclusive.most_common()] if total else []
    # Frames on (nearly) every stack are the server loop, not the answer.
    informative = [(name, share) for name, share in shares if share < 0.97]
    own_shares = (
        [(name, n / total) for name, n in own.most_common(top)] if total else []
    )
    return Profile(
        label,
        path,
        total,
        requests,
        informative[:top],
        own_shares,
        dict(categories),
        raw,
    )


def profile(
    server: Server, path: str, seconds: float, out: Path, threads, conns, workers
) -> Profile:
    """py-spy on one worker while wrk loads ``path``; the worker's share of
    the requests is taken as an even split between the workers."""
    pids = children(server.process.pid) if server.process else []
    if not pids:
        raise RuntimeError("no gunicorn worker to profile")
    spy = subprocess.Popen(
        [
            harness.script("py-spy"),
            "record",
            "--pid",
            str(pids[0]),
            "--duration",
            str(int(seconds)),
            "--rate",
            str(RATE),
            "--format",
            "raw",
            "--nonblocking",
            "--output",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    time.sleep(0.3)
    sample = wrk(server.url(path), seconds, threads, conns)
    output, _ = spy.communicate(timeout=seconds + 60)
    if spy.returncode != 0 or not out.exists():
        raise RuntimeError(f"py-spy failed: {output.strip()[-200:]}")
    requests = sample.rps * seconds / workers
    return summarise_profile(out, server.label, path, requests)


# --------------------------------------------------------------------------
# The measurement


@dataclass(frozen=True)
class LoadSettings:
    """How each app is loaded: ``rounds`` rounds of ``seconds`` of wrk per
    path after ``warmup_seconds``, and a profile of ``profile_seconds`` of a
    path that misses its goal."""

    rounds: int
    seconds: float
    warmup_seconds: float
    profile_seconds: float
    #: gunicorn sync workers for each app.
    workers: int = 2
    #: wrk's threads and connections.
    threads: int = 2
    connections: int = 16


def _reference(framework: str, project: Path, env: dict[str, str], base: Path):
    """Prepare the generated project as a deployment would and build the
    reference apps; return the bare reference's directory and gunicorn
    command, and the equal-work reference's directory, gunicorn command and
    environment."""
    venv = project / ".venv"
    equal_env = dict(env)
    if framework != "django":
        equal = _equal_flask(base, project, equal_env)
        return (
            _reference_flask(base),
            ["gunicorn", "app:app"],
            equal,
            ["gunicorn", "app:app"],
            equal_env,
        )
    done = subprocess.run(
        [str(venv / "bin" / "python"), "manage.py", "collectstatic", "--noinput"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise RuntimeError(f"collectstatic failed: {lines[-1] if lines else ''}")
    equal = _equal_django(base, project, equal_env)
    return (
        _reference_django(base, venv),
        ["gunicorn", "reference.wsgi"],
        equal,
        ["gunicorn", "app:application"],
        equal_env,
    )


def _start(servers: list[Server], base: Path) -> None:
    """Start every server on a free port; raise once one gives no 200."""
    for server in servers:
        server.port = net.free_port()
        server.argv[server.argv.index("127.0.0.1:0")] = f"127.0.0.1:{server.port}"
        server.log = base / f"{server.label}.log"
        server.process = processes.start(
            server.argv, server.cwd, server.env, server.log
        )
    for server in servers:
        if net.wait_for_200(server.url("/healthz"), server.process, 60) is None:
            said = harness.tail(server.log)
            raise RuntimeError(
                f"the {server.label} app gave no 200 on /healthz: {said}"
            )


def _body(url: str) -> str:
    """The body of a GET of ``url`` (with HEADERS), CSRF tokens masked."""
    request = urllib.request.Request(url, headers=HEADERS)
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode()
    return re.sub(
        r'(name="(?:csrfmiddlewaretoken|csrf_token)"(?: type="hidden")? value=")[^"]*',
        r"\1",
        text,
    )


def _same_page(result: FrameworkLoad, path: str) -> None:
    """Note where the equal-work app's ``path`` differs from the generated
    one's: the two must render the same page for the ratio to mean equal
    work."""
    assert result.generated is not None and result.equal is not None
    try:
        ours = _body(result.generated.url(path)).splitlines()
        theirs = _body(result.equal.url(path)).splitlines()
    except (OSError, UnicodeDecodeError) as error:
        result.notes.append(f"`{path}` of the two apps not compared: {error}")
        return
    if ours == theirs:
        result.notes.append(
            f"`{path}`: the equal-work app's page is the generated page, byte "
            "for byte (CSRF tokens aside)"
        )
        return
    first = next(
        (
            i
            for i, pair in enumerate(zip(ours, theirs, strict=False))
            if pair[0] != pair[1]
        ),
        min(len(ours), len(theirs)),
    )
    shown = [
        lines[first].strip()[:80] if first < len(lines) else "(end)"
        for lines in (ours, theirs)
    ]
    result.notes.append(
        f"`{path}`: the equal-work app's page differs from the generated one "
        f"at line {first + 1}: generated `{shown[0]}`, equal-work `{shown[1]}`"
    )


def _loadable(result: FrameworkLoad) -> list[tuple[Server, str]]:
    """The comparisons whose two pages both answer 200 (a note for each
    other one), and the (server, path) pairs they load, each once."""
    assert result.generated is not None
    targets: list[tuple[Server, str]] = []
    for comparison in result.comparisons:
        reference = result.server(comparison.reference)
        assert reference is not None
        pair = [
            (result.generated, comparison.path),
            (reference, comparison.reference_path),
        ]
        for server, path in pair:
            if path not in server.status:
                server.status[path] = net.status(server.url(path), HEADERS)
        if all(server.status[path] == 200 for server, path in pair):
            result.loaded.append(comparison)
            targets += [target for target in pair if target not in targets]
        else:
            codes = ", ".join(f"{s.label} {p} {s.status[p]}" for s, p in pair)
            result.notes.append(
                f"{comparison.label} not loaded: status {codes} (expected 200)"
            )
    return targets


def _load(
    servers: list[Server],
    targets: list[tuple[Server, str]],
    settings: LoadSettings,
    log,
) -> None:
    """Warm every page up, then load them in turn, round by round (the order
    reversed every other round), recording requests and worker CPU per
    request; then each server's memory."""
    threads, connections = settings.threads, settings.connections
    for server, path in targets:
        wrk(server.url(path), settings.warmup_seconds, threads, connections)
    for round_ in range(settings.rounds):
        for server, path in targets if round_ % 2 == 0 else targets[::-1]:
            assert server.process is not None
            before = cpu_seconds(server.process.pid)
            sample = wrk(server.url(path), settings.seconds, threads, connections)
            used = cpu_seconds(server.process.pid) - before
            if sample.requests:
                sample.cpu = used / sample.requests
            server.samples.setdefault(path, []).append(sample)
        log(f"    round {round_ + 1}/{settings.rounds} done")
    for server in servers:
        assert server.process is not None
        peaks = [peak_rss_kib(pid) for pid in children(server.process.pid)]
        server.peak_rss_kib = max((p for p in peaks if p), default=None)
        server.pss_kib = total_pss_kib(server.process.pid)
        server.shares = memory.processes(
            server.process.pid, children(server.process.pid)
        )


def _profile_misses(
    result: FrameworkLoad, settings: LoadSettings, base: Path, log
) -> None:
    """Profile both apps of every comparison whose ratio misses its goal (a
    page profiled once however many comparisons it is in)."""
    if not harness.have("py-spy"):
        return
    assert result.generated is not None
    done: set[tuple[str, str]] = set()
    for comparison in result.loaded:
        share, _ = result.ratios(comparison)
        if share is None or share >= comparison.goal:
            continue
        reference = result.server(comparison.reference)
        assert reference is not None
        pair = [
            (result.generated, comparison.path),
            (reference, comparison.reference_path),
        ]
        for server, path in pair:
            if (server.label, path) in done:
                continue
            done.add((server.label, path))
            log(f"    profiling the {result.framework} {server.label} app on {path}")
            name = path.strip("/").replace("/", "-") or "home"
            out = base.parent / f"profile-{result.framework}-{name}-{server.label}.txt"
            try:
                result.profiles.append(
                    profile(
                        server,
                        path,
                        settings.profile_seconds,
                        out,
                        settings.threads,
                        settings.connections,
                        settings.workers,
                    )
                )
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                result.notes.append(
                    f"profile of the {server.label} app on {path}: {error}"
                )


def _production_env(framework: str) -> dict[str, str]:
    """The environment of a production server: debug off, a fresh secret key."""
    env = environment.clean_env(bytecode=True, SECRET_KEY=secrets.token_urlsafe(50))
    if framework == "django":
        env.update(DEBUG="false", ALLOWED_HOSTS="127.0.0.1")
    return env


@contextlib.contextmanager
def _without_dotenv(project: Path) -> Iterator[None]:
    """Set the project's development ``.env`` aside while the block runs.

    Production has no .env (it is docker-ignored and git-ignored): the
    development one would switch debug on."""
    dotenv = project / ".env"
    hidden = project / ".env.hidden-by-bench"
    if dotenv.exists():
        dotenv.rename(hidden)
    try:
        yield
    finally:
        if hidden.exists():
            hidden.rename(dotenv)


def _servers(
    result: FrameworkLoad, project: Path, env: dict[str, str], base: Path
) -> list[Server]:
    """The generated app's production server and its two reference apps, each
    pinned to the same number of workers, set on ``result``."""
    framework, workers = result.framework, result.workers
    venv = project / ".venv"
    reference_dir, reference_argv, equal_dir, equal_argv, equal_env = _reference(
        framework, project, env, base
    )
    argv, source = production_command(project)
    result.generated = Server(
        "generated",
        _pin(argv, venv, 0, workers),
        project,
        env,
        f"{shlex.join(argv)} (from the {source})",
    )
    result.reference = Server(
        "reference",
        _pin(reference_argv, venv, 0, workers),
        reference_dir,
        env,
        shlex.join(reference_argv),
    )
    result.equal = Server(
        "equal-work",
        _pin(equal_argv, venv, 0, workers),
        equal_dir,
        equal_env,
        f"{shlex.join(equal_argv)} (bench/reference/{framework}_equal/)",
    )
    return [result.generated, result.reference, result.equal]


def _run_load(
    result: FrameworkLoad,
    servers: list[Server],
    settings: LoadSettings,
    base: Path,
    log,
) -> None:
    """Start the servers, check the equal-work pages, load every path, and
    profile the comparisons that miss their goals."""
    _start(servers, base)
    targets = _loadable(result)
    # Flask's equal-work app renders both pages it is compared on from the
    # project's own templates; Django's renders the home page only.
    pages = ["/"] if result.framework == "django" else ["/", LOGIN[result.framework]]
    for path in pages:
        _same_page(result, path)
    _load(servers, targets, settings, log)
    _profile_misses(result, settings, base, log)
    _import_footprints(servers)


def _import_footprints(servers: list[Server]) -> None:
    """What importing each server's app costs a fresh interpreter of the
    server's virtual environment, in the server's directory."""
    for server in servers:
        app = deployment.gunicorn_app(server.argv)
        if app is None:
            continue
        python = Path(server.argv[0]).parent / "python"
        server.footprint = memory.import_footprint(python, server.cwd, server.env, app)


def measure(
    framework: str, project: Path | None, settings: LoadSettings, log
) -> FrameworkLoad:
    """The generated project's production server against its reference app,
    under the same load, in one run."""
    result = FrameworkLoad(
        framework, comparisons=comparisons(framework), workers=settings.workers
    )
    if project is None:
        result.failure = "no installed project (see time to a running app)"
        return result
    if not shutil.which("wrk"):
        result.failure = "wrk is not installed (Debian: apt-get install -y wrk)"
        return result
    log(f"5. Throughput and memory: {framework}, generated vs reference")
    base = harness.fresh_dir(harness.WORK / f"load-{framework}")
    env = _production_env(framework)
    servers: list[Server] = []
    with _without_dotenv(project):
        try:
            servers = _servers(result, project, env, base)
            _run_load(result, servers, settings, base, log)
        except (RuntimeError, ValueError, subprocess.SubprocessError, OSError) as error:
            result.failure = str(error)[:300]
            if not isinstance(error, RuntimeError):
                result.failure = f"{type(error).__name__}: {error}"[:300]
        finally:
            for server in servers:
                if server.process is not None:
                    processes.stop(server.process)
    return result
