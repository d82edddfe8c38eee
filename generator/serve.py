"""``webdev-new serve``: the catalogue as a web page and an HTTP API.

A plain WSGI application (no web framework: five routes do not need one)
served by waitress, the one dependency of the ``web`` extra.  Every answer
comes from the catalogue: ``/metadata`` describes each question and the
combinations the rules forbid, the page builds its form from that document,
and ``/starter.zip`` and ``/preview`` render with the same machinery as the
command line, in worker processes (see ``workers``).

Routes::

    GET  /                 the page (browsers) or the API in plain text (curl)
    GET  /metadata         the catalogue as versioned JSON
    GET  /starter.zip      the project as a zip (POST takes the same fields)
    GET  /preview          the file list as JSON
    GET  /preview/file     one rendered file (``path=`` from the file list)

Nothing is imported from here by the plain ``webdev-new`` command.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import signal
import time
import urllib.parse
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from . import __version__, names, workers
from .catalogue import (
    BY_KEY,
    CONSTRAINTS,
    FEATURES,
    FRAMEWORKS,
    AnswerError,
    Answers,
    Feature,
    Kind,
    complete,
    parse_value,
)

#: Version of the ``/metadata`` document's shape (not of the generator):
#: raised when a field changes meaning or goes away.
METADATA_VERSION = 1

#: The project name when a request gives none.
DEFAULT_NAME = "mysite"

#: Largest request body (POST /starter.zip) and query string accepted.  A
#: request with every question answered is well under 1 KiB.
MAX_BODY = 16 * 1024
MAX_QUERY = 8 * 1024

#: Seconds one render may take before its worker is stopped.
RENDER_TIMEOUT = 30.0

#: The answers file ``webdev-new`` writes stays; ``.env`` holds the project's
#: secret key, made for whoever generated the tree, and never travels.
NOT_DOWNLOADED = frozenset({".env"})

#: Sent with every answer.  The page loads only its own script and style.
SECURITY_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
]
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)

#: The page's files (package data), by the URL path that serves them.
ASSETS = {
    "/assets/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/assets/app.css": ("app.css", "text/css; charset=utf-8"),
    "/assets/icon.svg": ("icon.svg", "image/svg+xml"),
}
PAGE = "index.html"

#: Every path answered, with the methods each takes; anything else is a 404.
ROUTES: dict[str, tuple[str, ...]] = {
    "/": ("GET", "HEAD"),
    "/metadata": ("GET", "HEAD"),
    "/starter.zip": ("GET", "HEAD", "POST"),
    "/preview": ("GET", "HEAD"),
    "/preview/file": ("GET", "HEAD"),
    **{path: ("GET", "HEAD") for path in ASSETS},
}

#: Status line, headers and body of an answer.
Response = tuple[str, list[tuple[str, str]], bytes]


# --------------------------------------------------------------------------
# Answers on the wire: query strings and JSON use the same strings


def wire_value(feature: Feature, value: Any) -> Any:
    """An answer as the API spells it: ``yes``/``no``, a string, or a list."""
    return feature.wire(value)


def wire_answers(answers: Answers) -> dict[str, Any]:
    return {f.key: wire_value(f, answers[f.key]) for f in FEATURES if f.key in answers}


def wire_values(feature: Feature, framework: str) -> list[Any]:
    """The values a question takes for ``framework``, as the API spells them."""
    if feature.kind is Kind.BOOL:
        return ["yes", "no"]
    return list(feature.values_for(framework))


@dataclass(frozen=True)
class Forbidden:
    """A combination that a rule forbids: whenever every answer in ``when``
    is given, the rule's ``message`` applies."""

    message: str
    when: Mapping[str, Any]

    def matches(self, answers: Answers) -> bool:
        return all(answers.get(k) == v for k, v in self.when.items())


@lru_cache(maxsize=1)
def forbidden_combinations() -> tuple[Forbidden, ...]:
    """What the catalogue's rules forbid, as data a browser can evaluate.

    Instead of restating the rules in the page, each is run over every
    combination of the questions it reads to list the ones it forbids.
    Values offered only for some frameworks add one entry each.
    """
    domains = {f.key: f.domain() for f in FEATURES}
    defaults = {f.key: f.default for f in FEATURES}
    found: list[Forbidden] = []
    for rule in CONSTRAINTS:
        read = rule.reads
        for combo in itertools.product(*(domains[k] for k in read)):
            trial = {**defaults, **dict(zip(read, combo, strict=True))}
            if rule.applies(trial) and not rule.holds(trial):
                found.append(
                    Forbidden(rule.message, dict(zip(read, combo, strict=True)))
                )
    for feature in FEATURES:
        for value, frameworks in feature.value_frameworks.items():
            for framework in FRAMEWORKS:
                # A question a framework does not ask has no answer to refuse.
                if framework not in frameworks and feature.asked_for(framework):
                    message = (
                        f"{feature.key} '{value}' is only available with "
                        f"{', '.join(frameworks)}"
                    )
                    when = {"framework": framework, feature.key: value}
                    if not any(rule.when == when for rule in found):
                        found.append(Forbidden(message, when))
    return tuple(found)


def _wire_forbidden(rule: Forbidden) -> dict[str, Any]:
    return {
        "message": rule.message,
        "when": {k: wire_value(BY_KEY[k], v) for k, v in rule.when.items()},
    }


@lru_cache(maxsize=1)
def metadata() -> dict[str, Any]:
    """The catalogue as one JSON document: what every client reads.

    ``forbidden`` lists the combinations the rules refuse: a choice is
    impossible when the current answers with that choice match every answer
    of an entry's ``when``; its ``message`` says why.
    """
    return {
        "metadata_version": METADATA_VERSION,
        "generator": {"name": "webdev-new", "version": __version__},
        "name": {
            "key": "name",
            "prompt": "Project name",
            "help": (
                "The project's directory; the Python package is derived from it "
                "(lower case, '-', '.' and spaces become '_')."
            ),
            "default": DEFAULT_NAME,
            "max_length": names.MAX_LENGTH,
            "allowed": "letters, digits, '-', '_', '.' and spaces",
        },
        "questions": [
            {
                "key": f.key,
                "prompt": f.prompt,
                "help": f.help,
                "kind": f.kind.value,
                "default": wire_value(f, f.default),
                "choices": wire_values(f, FRAMEWORKS[0])
                if f.kind is Kind.BOOL
                else list(f.choices),
                "values": {fw: wire_values(f, fw) for fw in FRAMEWORKS},
            }
            for f in FEATURES
        ],
        "rules": [c.message for c in CONSTRAINTS],
        "forbidden": [_wire_forbidden(rule) for rule in forbidden_combinations()],
        "links": {
            "zip": "/starter.zip",
            "preview": "/preview",
            "file": "/preview/file",
        },
    }


# --------------------------------------------------------------------------
# Requests


class HTTPError(Exception):
    """An answer other than 200, with a JSON body."""

    def __init__(
        self,
        status: str,
        body: dict[str, Any],
        headers: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__(body.get("error", status))
        self.status = status
        self.body = body
        self.headers = headers or []


def bad_request(message: str, key: str | None, allowed: Any = None) -> HTTPError:
    body: dict[str, Any] = {"error": message, "key": key}
    if allowed is not None:
        body["allowed"] = allowed
    return HTTPError("400 Bad Request", body)


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    accept: str
    params: dict[str, list[str]] = field(default_factory=dict)


def _parse_query(text: str) -> dict[str, list[str]]:
    try:
        return urllib.parse.parse_qs(
            text, keep_blank_values=True, strict_parsing=False, max_num_fields=64
        )
    except ValueError as exc:  # more fields than max_num_fields
        raise bad_request(f"too many parameters: {exc}", None) from exc


def _read_body(environ: Mapping[str, Any]) -> dict[str, list[str]]:
    """The fields of a POST body: form-encoded (``curl -d``) or a JSON object."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise bad_request("Content-Length is not a number", None) from None
    if length > MAX_BODY:
        raise HTTPError(
            "413 Content Too Large",
            {"error": f"the request body is over {MAX_BODY} bytes", "key": None},
        )
    raw = environ["wsgi.input"].read(length) if length else b""
    kind = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            data = json.loads(raw or b"{}")
        except ValueError as exc:
            raise bad_request(f"the body is not valid JSON: {exc}", None) from exc
        if not isinstance(data, dict):
            raise bad_request("the JSON body must be an object of answers", None)
        fields: dict[str, list[str]] = {}
        for key, value in data.items():
            if isinstance(value, bool):
                value = "yes" if value else "no"
            if isinstance(value, list):
                fields[key] = [",".join(str(item) for item in value)]
            else:
                fields[key] = [str(value)]
        return fields
    if kind in ("", "application/x-www-form-urlencoded"):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise bad_request("the body is not UTF-8", None) from None
        return _parse_query(text)
    raise HTTPError(
        "415 Unsupported Media Type",
        {
            "error": f"cannot read a {kind} body",
            "key": None,
            "allowed": ["application/x-www-form-urlencoded", "application/json"],
        },
    )


def read_request(environ: Mapping[str, Any]) -> Request:
    query = environ.get("QUERY_STRING", "")
    if len(query) > MAX_QUERY:
        raise HTTPError(
            "414 URI Too Long",
            {"error": f"the query string is over {MAX_QUERY} bytes", "key": None},
        )
    params = _parse_query(query)
    method = environ.get("REQUEST_METHOD", "GET").upper()
    if method == "POST":
        for key, values in _read_body(environ).items():
            params.setdefault(key, []).extend(values)
    return Request(
        method=method,
        path=environ.get("PATH_INFO", "/") or "/",
        accept=environ.get("HTTP_ACCEPT", ""),
        params=params,
    )


def _single(params: Mapping[str, list[str]], key: str) -> str:
    values = params[key]
    if len(values) != 1:
        raise bad_request(f"{key} is given {len(values)} times; give it once", key)
    return values[0]


def read_job(params: Mapping[str, list[str]], extra: Iterable[str] = ()) -> workers.Job:
    """Check a request's answers as the command line does; 400 names the key.

    Unanswered questions take their defaults, and a default that a rule
    forbids is replaced as on the command line (Flask without a database gets
    no accounts).  An answer given explicitly that a rule forbids is refused.
    """
    allowed_keys = ["name", *BY_KEY, *extra]
    for key in params:
        if key not in allowed_keys:
            raise bad_request(f"unknown parameter {key!r}", key, allowed_keys)
    name = _single(params, "name") if "name" in params else DEFAULT_NAME
    try:
        package = names.check(name)
    except names.InvalidName as exc:
        allowed = metadata()["name"]["allowed"]
        raise bad_request(f"invalid project name: {exc}", "name", allowed) from exc
    given: Answers = {}
    for feature in FEATURES:
        if feature.key not in params:
            continue
        if feature.multiple:
            raw: Any = ",".join(params[feature.key])
        else:
            raw = _single(params, feature.key)
        try:
            given[feature.key] = parse_value(feature, raw)
        except AnswerError as exc:
            framework = given.get("framework", BY_KEY["framework"].default)
            allowed = wire_values(feature, framework)
            raise bad_request(str(exc), feature.key, allowed) from exc
    framework = given.get("framework", BY_KEY["framework"].default)
    for key in given:
        feature = BY_KEY[key]
        if not feature.asked_for(framework):
            only = ", ".join(feature.frameworks)
            message = f"{key} is only asked with {only}, not with {framework}"
            raise bad_request(message, key, [])
    try:
        answers = complete(given)
    except AnswerError as exc:
        raise _refusal(given, str(exc)) from exc
    return workers.Job(name=name.strip(), package=package, answers=answers)


def _completes(given: Answers) -> bool:
    try:
        complete(given)
    except AnswerError:
        return False
    return True


def _refusal(given: Answers, message: str) -> HTTPError:
    """A 400 for answers a rule forbids, naming the answer to change."""
    framework = given.get("framework", BY_KEY["framework"].default)
    merged = {
        f.key: given.get(f.key, f.default)
        for f in FEATURES
        if f.key in given or f.asked_for(framework)
    }
    matching = [rule for rule in forbidden_combinations() if rule.matches(merged)]
    chosen = next((r for r in matching if r.message == message), None)
    if chosen is None:
        chosen = next((r for r in matching if set(r.when) & set(given)), None)
    if chosen is None:
        return bad_request(message, None)
    # The last question (in the wizard's order) the request answered itself.
    key = [k for k in BY_KEY if k in chosen.when and k in given][-1]
    feature = BY_KEY[key]
    framework = merged["framework"]
    choices = FRAMEWORKS if key == "framework" else feature.values_for(framework)
    # A multiple choice is offered one value at a time, as the wizard does.
    allowed = [
        value for value in choices if _completes({**given, key: feature.only(value)})
    ]
    if feature.kind is Kind.BOOL:
        allowed = [wire_value(feature, value) for value in allowed]
    body = {
        "error": chosen.message,
        "key": key,
        "allowed": allowed,
        "conflicts_with": [k for k in chosen.when if k != key],
    }
    return HTTPError("400 Bad Request", body)


# --------------------------------------------------------------------------
# Answers


def _json(status: str, body: Any) -> Response:
    data = json.dumps(body, indent=2).encode() + b"\n"
    return status, [("Content-Type", "application/json")], data


def _is_binary(content: bytes) -> bool:
    if b"\0" in content:
        return True
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def downloadable(tree: list[workers.Entry]) -> list[workers.Entry]:
    """The tree without what must not leave the server (the secret ``.env``)."""
    return [entry for entry in tree if entry[0] not in NOT_DOWNLOADED]


def zip_bytes(root: str, tree: list[workers.Entry]) -> bytes:
    """The tree as a zip whose entries sit under ``root/``, modes kept."""
    stamp = time.localtime()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_zip_info(f"{root}/", 0o755, stamp), b"")
        for path, mode, content in tree:
            if content is None:
                archive.writestr(_zip_info(f"{root}/{path}/", mode, stamp), b"")
            else:
                info = _zip_info(f"{root}/{path}", mode, stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, content)
    return buffer.getvalue()


def _zip_info(name: str, mode: int, stamp: tuple[int, ...]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
    info.create_system = 3  # Unix: unzip restores the modes
    if name.endswith("/"):
        info.external_attr = ((0o040000 | mode) << 16) | 0x10
    else:
        info.external_attr = (0o100000 | mode) << 16
    return info


def api_text(base: str) -> str:
    """``GET /`` for curl: the parameters, their values, and examples."""
    lines = [
        f"webdev-new {__version__}: generate a Django or Flask project over HTTP",
        "",
        "Endpoints",
        "  GET  /               this text (a browser gets the page)",
        "  GET  /metadata       the questions, values, defaults and rules as JSON",
        "  GET  /starter.zip    the project as a zip; POST takes the same fields",
        "                       (form-encoded, or a JSON object)",
        "  GET  /preview        the project's file list as JSON",
        "  GET  /preview/file   one file's rendered content (add path=FILE)",
        "",
        "Parameters (each optional; the default is used when left out)",
        f"  name          project directory and package name [default: {DEFAULT_NAME}]",
        f"                {metadata()['name']['allowed']}, at most "
        f"{names.MAX_LENGTH} characters",
    ]
    for feature in FEATURES:
        values = feature.allowed_text()
        if feature.multiple:
            values = f"any of {values} (comma-separated)"
        default = wire_value(feature, feature.default)
        shown = ",".join(default) if isinstance(default, list) else default
        lines.append(f"  {feature.key:<13} {values} [default: {shown}]")
        lines.append(f"                {feature.help}")
        if feature.frameworks != FRAMEWORKS:
            lines.append(
                f"                asked only with {', '.join(feature.frameworks)}"
            )
            continue
        for value, frameworks in feature.value_frameworks.items():
            lines.append(f"                '{value}' only with {', '.join(frameworks)}")
    lines += ["", "Rules"]
    lines += [f"  {c.message}" for c in CONSTRAINTS]
    lines += [
        "",
        "A bad value answers 400 with JSON naming the key and the allowed values.",
        "The zip holds what 'webdev-new NAME --no-git' writes, except .env (the",
        "secret key): the first manage.py or flask command typed in the project",
        "writes its own .env, with a new key, from .env.example.",
        "",
        "Examples",
        f"  curl -o mysite.zip '{base}/starter.zip'",
        f"  curl -o shop.zip {base}/starter.zip -d name=shop -d framework=flask \\",
        "       -d database=postgresql -d tasks=celery",
        f"  curl '{base}/preview?framework=flask&database=none'",
        f"  curl '{base}/preview/file?framework=flask&path=pyproject.toml'",
        f"  curl -s {base}/metadata",
        "",
    ]
    return "\n".join(lines)


def _wants_html(accept: str) -> bool:
    """Browsers name text/html; curl sends */*, which gets the text."""
    kinds = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    return "text/html" in kinds


@cache
def _asset(filename: str) -> bytes:
    return resources.files("generator").joinpath("static", filename).read_bytes()


class App:
    """The WSGI application.  ``pool`` renders (set once the server listens);
    ``base`` is the server's URL as printed at start-up, used in the API text
    and never taken from a request's Host header."""

    def __init__(self, pool: workers.Pool | None, base: str) -> None:
        self.pool = pool
        self.base = base

    def render(self, job: workers.Job) -> list[workers.Entry]:
        """The tree for ``job``, without what must not leave the server."""
        assert self.pool is not None, "the pool is set before the server runs"
        return downloadable(self.pool.render(job))

    def __call__(
        self, environ: Mapping[str, Any], start_response: Callable[..., Any]
    ) -> list[bytes]:
        try:
            request = read_request(environ)
            status, headers, body = self.dispatch(request)
        except HTTPError as exc:
            status, headers, body = _json(exc.status, exc.body)
            headers += exc.headers
        except workers.Busy:
            status, headers, body = _json(
                "503 Service Unavailable",
                {"error": "every render worker is busy; try again", "key": None},
            )
            headers.append(("Retry-After", "5"))
        except workers.RenderTimeout as exc:
            status, headers, body = _json(
                "503 Service Unavailable",
                {
                    "error": "rendering took longer than"
                    f" {exc.seconds:g} seconds and was stopped",
                    "key": None,
                },
            )
        except workers.RenderFailed as exc:
            status, headers, body = _json(
                "500 Internal Server Error", {"error": str(exc), "key": None}
            )
        headers += SECURITY_HEADERS
        headers.append(("Content-Length", str(len(body))))
        if not any(name == "Cache-Control" for name, _ in headers):
            headers.append(("Cache-Control", "no-store"))
        start_response(status, headers)
        return [body]

    def dispatch(self, request: Request) -> Response:
        if request.path not in ROUTES:
            raise HTTPError(
                "404 Not Found",
                {
                    "error": "no such page",
                    "key": None,
                    "allowed": sorted(set(ROUTES) - set(ASSETS)),
                },
            )
        methods = ROUTES[request.path]
        if request.method not in methods:
            raise HTTPError(
                "405 Method Not Allowed",
                {
                    "error": f"{request.method} is not allowed here",
                    "key": None,
                    "allowed": list(methods),
                },
                [("Allow", ", ".join(methods))],
            )
        if request.path in ASSETS:
            filename, kind = ASSETS[request.path]
            return (
                "200 OK",
                [("Content-Type", kind), ("Cache-Control", "no-cache")],
                _asset(filename),
            )
        if request.path == "/":
            return self.index(request)
        if request.path == "/metadata":
            return _json("200 OK", metadata())
        if request.path == "/starter.zip":
            job = read_job(request.params)
            tree = self.render(job)
            headers = [
                ("Content-Type", "application/zip"),
                ("Content-Disposition", f'attachment; filename="{job.name}.zip"'),
            ]
            return "200 OK", headers, zip_bytes(job.name, tree)
        if request.path == "/preview":
            return self.preview(request)
        return self.preview_file(request)

    def index(self, request: Request) -> Response:
        if _wants_html(request.accept):
            headers = [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
                ("Vary", "Accept"),
            ]
            return "200 OK", headers, _asset(PAGE)
        headers = [("Content-Type", "text/plain; charset=utf-8"), ("Vary", "Accept")]
        return "200 OK", headers, api_text(self.base).encode()

    def preview(self, request: Request) -> Response:
        job = read_job(request.params)
        tree = self.render(job)
        files = [
            {"path": path, "size": len(content), "binary": _is_binary(content)}
            for path, _mode, content in tree
            if content is not None
        ]
        body = {
            "name": job.name,
            "package": job.package,
            "answers": wire_answers(job.answers),
            "directories": [path for path, _mode, content in tree if content is None],
            "files": files,
        }
        return _json("200 OK", body)

    def preview_file(self, request: Request) -> Response:
        params = dict(request.params)
        if "path" not in params:
            raise bad_request("path is required: a file from /preview", "path")
        wanted = _single(params, "path")
        del params["path"]
        job = read_job(params)
        # A lookup in the rendered tree: the path never touches the disk.
        files = {
            path: content
            for path, _mode, content in self.render(job)
            if content is not None
        }
        if wanted not in files:
            raise HTTPError(
                "404 Not Found",
                {"error": f"{wanted!r} is not a file of this project", "key": "path"},
            )
        content = files[wanted]
        if _is_binary(content):
            headers = [
                ("Content-Type", "application/octet-stream"),
                ("Content-Disposition", "attachment"),
            ]
        else:
            headers = [("Content-Type", "text/plain; charset=utf-8")]
        return "200 OK", headers, content


# --------------------------------------------------------------------------
# The server


def is_local(host: str) -> bool:
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run(
    host: str,
    port: int,
    echo: Callable[[str], None],
    *,
    workers_count: int | None = None,
    threads: int = 8,
    render_timeout: float = RENDER_TIMEOUT,
) -> None:
    """Serve until interrupted; the render workers and every job directory
    are removed on the way out."""
    from waitress import create_server

    size = workers_count or max(1, min(4, os.cpu_count() or 1))
    # SIGTERM (a service manager, a test) stops as cleanly as Ctrl-C does.
    signal.signal(signal.SIGTERM, _terminate)
    app = App(None, "")
    # Listen first: a port in use is reported before any worker starts.
    server = create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        # Waitress reads whole requests before a thread sees them; these
        # bound what a client can make it hold (above the limits the
        # application answers itself, in JSON).
        max_request_body_size=4 * MAX_BODY,
        max_request_header_size=MAX_QUERY + 8 * 1024,
        connection_limit=100,
        channel_timeout=30,
        ident="webdev-new",
    )
    pool = app.pool = workers.Pool(size, render_timeout=render_timeout)
    try:
        if hasattr(server, "effective_port"):
            bound_host, bound_port = server.effective_host, server.effective_port
        else:  # a name with several addresses: one socket each
            bound_host, bound_port = server.effective_listen[0]
        shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
        base = f"http://{shown}:{bound_port}"
        app.base = base
        echo(f"webdev-new serve: {base}/ (API: curl {base}/; Ctrl-C stops)")
        if not is_local(host):
            echo(
                f"warning: listening on {host}: anyone who can reach this machine"
                " can use it; there is no login"
            )
        # Returns on Ctrl-C or SIGTERM, once the request threads are done.
        server.run()
    except KeyboardInterrupt:
        # A signal that lands before the loop runs (between the lines
        # above) is the same request to stop, not a failure.
        server.task_dispatcher.shutdown()
    finally:
        server.close()
        pool.close()
    echo("Stopped.")
