"""The ``webdev-new`` command line.

Exit status: 0 done, 1 a user error (one line on stderr, no traceback),
130 interrupted.  Flags are built from the catalogue, so every question has
one and its help lists the choices and the default.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__, names, wizard
from .catalogue import (
    CONSTRAINTS,
    FEATURES,
    AnswerError,
    Answers,
    complete,
    parse_answers,
)

EXIT_USER_ERROR = 1
EXIT_INTERRUPTED = 130


class UserError(Exception):
    """Bad input: reported as one line on stderr with exit status 1."""


def _shown_default(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ",".join(value)
    return str(value)


def _feature_options(command):
    """Add one option per catalogue question to ``command``."""
    for feature in reversed(FEATURES):
        default = _shown_default(feature.default)
        text = f"{feature.help} [default: {default}]"
        if feature.kind == "bool":
            option = click.option(
                f"--{feature.key}/--no-{feature.key}", default=None, help=text
            )
        elif feature.kind == "multi":
            option = click.option(
                f"--{feature.key}",
                metavar=",".join(feature.choices),
                help=f"Comma-separated, any of: {', '.join(feature.choices)}. {text}",
            )
        else:
            option = click.option(
                f"--{feature.key}", metavar="|".join(feature.choices), help=text
            )
        command = option(command)
    return command


#: The largest answers file read; anything bigger is not an answers file.
MAX_ANSWERS_BYTES = 64 * 1024


def _load_answers_file(path: str) -> Answers:
    """Read a JSON or YAML answers file (a project's .webdev-new.json works)."""
    file = Path(path)
    try:
        with file.open("rb") as stream:
            # A real answers file is a few hundred bytes; /dev/zero is endless.
            raw = stream.read(MAX_ANSWERS_BYTES + 1)
    except OSError as exc:
        raise UserError(f"cannot read answers file {path}: {exc.strerror}") from exc
    if len(raw) > MAX_ANSWERS_BYTES:
        raise UserError(
            f"answers file {path} is larger than {MAX_ANSWERS_BYTES // 1024} KiB"
        )
    try:
        text = raw.decode()
    except UnicodeDecodeError as exc:
        raise UserError(f"answers file {path} is not UTF-8 text") from exc
    try:
        if file.suffix in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except Exception as exc:  # both parsers' errors: report, never a traceback
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UserError(f"answers file {path} is not valid: {first}") from exc
    if not isinstance(data, dict):
        raise UserError(f"answers file {path} must hold a mapping of answers")
    data = {k: v for k, v in data.items() if k != "generator"}
    try:
        return parse_answers(data, f"answers file {path}")
    except AnswerError as exc:
        raise UserError(str(exc)) from exc


def _echo(message: str = "", *, color: str | None = None, bold: bool = False) -> None:
    styled = click.style(message, fg=color, bold=bold) if (color or bold) else message
    click.echo(styled, color=None if "NO_COLOR" not in os.environ else False)


def _name_problem(name: str, output_dir: str) -> str | None:
    """Why ``name`` cannot be used in ``output_dir``, or None."""
    from .render import RenderError, check_target

    try:
        names.check(name)
        check_target(Path(output_dir) / name.strip())
    except (names.InvalidName, RenderError) as exc:
        return str(exc)
    return None


def _gather(
    name: str | None,
    flags: dict[str, Any],
    answers_file: str | None,
    yes: bool,
    output_dir: str,
) -> tuple[str, Answers, bool]:
    """Merge the answers file, flags and (when allowed) the wizard."""
    given: Answers = _load_answers_file(answers_file) if answers_file else {}
    try:
        given.update(
            parse_answers({k: v for k, v in flags.items() if v is not None}, "option")
        )
    except AnswerError as exc:
        raise UserError(str(exc).replace("option: ", "", 1)) from exc
    if name is not None:
        _check_name(name)
    interactive = not yes and sys.stdin.isatty()
    if interactive:
        name, given = wizard.run(given, name, lambda n: _name_problem(n, output_dir))
    else:
        if name is None:
            raise UserError("a project NAME is required when not asking questions")
        unanswered = [f.key for f in FEATURES if f.key not in given]
        if unanswered:
            reason = "--yes" if yes else "standard input is not a terminal"
            filled = ", ".join(unanswered)
            _echo(f"No questions asked ({reason}): defaults used for {filled}.")
    try:
        answers = complete(given)
    except AnswerError as exc:
        raise UserError(str(exc)) from exc
    return name, answers, interactive


def _check_name(name: str, framework: str | None = None) -> str:
    try:
        return names.check(name, framework)
    except names.InvalidName as exc:
        raise UserError(f"invalid project name: {exc}") from exc


def _list_features() -> None:
    for feature in FEATURES:
        values = "yes, no" if feature.kind == "bool" else ", ".join(feature.choices)
        _echo(f"{feature.key}", bold=True)
        _echo(f"  {feature.prompt}")
        _echo(f"  {feature.help}")
        _echo(f"  values: {values}    default: {_shown_default(feature.default)}")
        for value, frameworks in feature.value_frameworks.items():
            _echo(f"  '{value}' only with: {', '.join(frameworks)}")
    _echo("rules", bold=True)
    for constraint in CONSTRAINTS:
        _echo(f"  {constraint.message}")


@click.command(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Other commands: 'webdev-new serve --help' (a web page and an HTTP API).",
)
@click.argument("name", required=False)
@_feature_options
@click.option(
    "-y",
    "--yes",
    is_flag=True,
    help="Ask nothing: defaults for every unanswered question.",
)
@click.option(
    "--answers",
    "answers_file",
    metavar="FILE",
    help="Answers as JSON or YAML (a project's .webdev-new.json works).",
)
@click.option(
    "-o",
    "--output-dir",
    default=".",
    show_default=True,
    metavar="DIR",
    help="Where to create the project directory.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print the files that would be written; write nothing.",
)
@click.option(
    "--no-git", is_flag=True, help="Do not make the project a git repository."
)
@click.option(
    "--install",
    is_flag=True,
    help="Create .venv, install the project and prepare the database.",
)
@click.option(
    "--list-features",
    is_flag=True,
    help="List every question with its choices and default, then exit.",
)
@click.version_option(
    __version__, "--version", prog_name="webdev-new", message="%(prog)s %(version)s"
)
def command(
    name: str | None,
    yes: bool,
    answers_file: str | None,
    output_dir: str,
    dry_run: bool,
    no_git: bool,
    install: bool,
    list_features: bool,
    **flags: Any,
) -> None:
    """Create a hosting-ready Django or Flask project in the directory NAME."""
    if list_features:
        _list_features()
        return
    name, answers, interactive = _gather(name, flags, answers_file, yes, output_dir)
    package = _check_name(name, answers["framework"])
    target = Path(output_dir) / name

    from . import post, render

    try:
        render.check_target(target)
        if interactive:
            wizard.confirm(wizard.summary_lines(name, str(target), answers))
        if dry_run:
            paths = render.preview(answers["framework"], name, package, answers)
            _echo(f"Would create {target} ({len(paths)} entries):")
            for path in paths:
                _echo(f"  {path}")
            return
        use_git = not no_git and post.git_available()
        render.generate(
            answers["framework"],
            name,
            package,
            answers,
            target,
            finish=post.git_init if use_git else None,
        )
    except render.RenderError as exc:
        raise UserError(str(exc)) from exc
    _echo(f"Created {target}", color="green", bold=True)
    if not no_git and not use_git:
        _echo("git was not found: the project is not a repository yet.")
    started = None
    if install:
        try:
            started = post.install(target, answers, _echo)
        except post.InstallError as exc:
            raise UserError(f"install failed: {exc}") from exc
    _echo()
    _echo("Next steps:", bold=True)
    shown = str(target) if output_dir != "." else name
    for step in post.next_steps(shown, answers, started):
        _echo(f"  {step}")


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but localhost is reachable by others.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port, printed at start).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 32),
    default=None,
    help="Render processes [default: CPU count, at most 4].",
)
@click.option(
    "--render-timeout",
    type=click.FloatRange(0.1, 600),
    default=30.0,
    show_default=True,
    help="Seconds one render may take before it is stopped.",
)
def serve_command(
    host: str, port: int, workers: int | None, render_timeout: float
) -> None:
    """Serve a page and an HTTP API that generate projects (needs the web extra:
    pip install "webdev-new[web]")."""
    try:
        import waitress  # noqa: F401
    except ImportError:
        raise UserError(
            'serve needs the web extra: pip install "webdev-new[web]"'
        ) from None
    from . import serve

    try:
        serve.run(
            host,
            port,
            _echo,
            workers_count=workers,
            render_timeout=render_timeout,
        )
    except OSError as exc:
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    except KeyboardInterrupt:
        click.echo("\nStopped.", err=True)
        sys.exit(EXIT_INTERRUPTED)


#: Commands reached as ``webdev-new COMMAND ...``; anything else is a NAME
#: (``webdev-new -- serve`` makes a project called serve).
SUBCOMMANDS = {"serve": serve_command}


def main(argv: list[str] | None = None) -> None:
    """Entry point: maps every failure to its exit status and one line."""
    args = sys.argv[1:] if argv is None else list(argv)
    chosen, prog = command, "webdev-new"
    if args and args[0] in SUBCOMMANDS:
        chosen, prog = SUBCOMMANDS[args[0]], f"webdev-new {args[0]}"
        args = args[1:]
    try:
        chosen.main(args=args, prog_name=prog, standalone_mode=False)
    except (KeyboardInterrupt, click.Abort):
        click.echo("\nInterrupted: nothing was written.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        click.echo(f"webdev-new: error: {exc.format_message()}", err=True)
        sys.exit(EXIT_USER_ERROR)
    except UserError as exc:
        click.echo(f"webdev-new: error: {exc}", err=True)
        sys.exit(EXIT_USER_ERROR)
    except wizard.Cancelled as exc:
        click.echo(f"\nCancelled ({exc}): nothing was written.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(0)
