"""The ``webdev-new`` command line.

Exit status: 0 done, 1 a user error (one line on stderr, no traceback),
130 interrupted; ``update``/``add``/``remove`` also use 2 (conflicts left to
resolve) and 3 (``--check``/``--diff``: the update would change files).
Flags are built from the catalogue, so every question has one and its help
lists the choices and the default.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import click

from . import __version__, names, wizard
from .catalogue import (
    BY_KEY,
    BY_WORD,
    CONSTRAINTS,
    FEATURES,
    FRAMEWORKS,
    AnswerError,
    Answers,
    Kind,
    complete,
    parse_answers,
    validate,
    with_word,
)

EXIT_USER_ERROR = 1
EXIT_CONFLICTS = 2
EXIT_CHANGES = 3
EXIT_INTERRUPTED = 130


class UserError(Exception):
    """Bad input: reported as one line on stderr with exit status 1."""


def _shown_default(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ",".join(value)
    return str(value)


def _feature_options(command, *, changing: bool = False):
    """Add one option per catalogue question to ``command``.

    ``changing``: the options change a project's recorded answers (update),
    so the framework is not among them and an absent option keeps the answer.
    """
    for feature in reversed(FEATURES):
        if changing and feature.key == "framework":
            continue
        default = _shown_default(feature.default)
        text = f"{feature.help} [default: {default}]"
        if changing:
            text = f"{feature.help} [default: as recorded]"
        if feature.kind is Kind.BOOL:
            option = click.option(
                f"{feature.flag}/--no-{feature.flag[2:]}", default=None, help=text
            )
        elif feature.multiple:
            option = click.option(
                feature.flag,
                metavar=",".join(feature.choices),
                help=f"Comma-separated, any of: {', '.join(feature.choices)}. {text}",
            )
        else:
            option = click.option(
                feature.flag, metavar="|".join(feature.choices), help=text
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
        framework = given.get("framework", BY_KEY["framework"].default)
        unanswered = [
            f.key for f in FEATURES if f.key not in given and f.asked_for(framework)
        ]
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
        values = feature.allowed_text()
        _echo(f"{feature.key}", bold=True)
        _echo(f"  {feature.prompt}")
        _echo(f"  {feature.help}")
        _echo(f"  values: {values}    default: {_shown_default(feature.default)}")
        if feature.frameworks != FRAMEWORKS:
            _echo(f"  asked only with: {', '.join(feature.frameworks)}")
            continue
        for value, frameworks in feature.value_frameworks.items():
            _echo(f"  '{value}' only with: {', '.join(frameworks)}")
    _echo("rules", bold=True)
    for constraint in CONSTRAINTS:
        _echo(f"  {constraint.message}")


@click.command(
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Other commands: 'webdev-new serve --help' (a web page and an HTTP "
    "API); inside a generated project: 'webdev-new update', 'webdev-new add "
    "FEATURE', 'webdev-new remove FEATURE' (see 'webdev-new update --help').",
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


# --------------------------------------------------------------------------
# Inside a generated project: update, add, remove


def _project_options(command):
    """The options update, add and remove share."""
    for option in reversed(
        (
            click.option(
                "--path",
                default=".",
                show_default=True,
                metavar="DIR",
                help="The project (its git repository's root).",
            ),
            click.option(
                "--check",
                is_flag=True,
                help="Change nothing; exit 3 when the update would change files.",
            ),
            click.option(
                "--diff",
                "show_diff",
                is_flag=True,
                help="Change nothing; print the diff the merge would bring "
                "(exit 3 when not empty).",
            ),
            click.option(
                "--allow-database-change",
                is_flag=True,
                help="Allow a different database (data is not moved).",
            ),
        )
    ):
        command = option(command)
    return command


UPDATE_EPILOG = (
    "Exit status: 0 merged (or nothing to do); 1 a user error, nothing "
    "changed; 2 conflicts left to resolve (git mergetool, then git merge "
    "--continue; or git merge --abort); 3 with --check or --diff: the update "
    "would change files; 130 interrupted, nothing changed."
)


@click.command(
    context_settings={"help_option_names": ["-h", "--help"]}, epilog=UPDATE_EPILOG
)
@_project_options
@(lambda command: _feature_options(command, changing=True))
def update(
    path: str,
    check: bool,
    show_diff: bool,
    allow_database_change: bool,
    **flags: Any,
) -> int:
    """Merge the installed templates into this project.

    The recorded answers are re-rendered (with any changed by the options
    below) onto the branch webdev-new/template and merged into the current
    branch by git: your edits stay, conflicts are ordinary git conflicts.
    """
    try:
        changes = parse_answers(
            {k: v for k, v in flags.items() if v is not None}, "option"
        )
    except AnswerError as exc:
        raise UserError(str(exc).replace("option: ", "", 1)) from exc
    project = _open(path)
    answers = {**project.answers, **changes}
    try:
        validate(answers)
    except AnswerError as exc:
        raise UserError(str(exc)) from exc
    return _update(project, answers, "update", check, show_diff, allow_database_change)


def _word_command(adding: bool):
    verb = "add" if adding else "remove"

    @click.command(
        name=verb,
        context_settings={"help_option_names": ["-h", "--help"]},
        epilog=UPDATE_EPILOG,
    )
    @click.argument("features", nargs=-1, required=True, metavar="FEATURE...")
    @_project_options
    def command_(
        features: tuple[str, ...],
        path: str,
        check: bool,
        show_diff: bool,
        allow_database_change: bool,
    ) -> int:
        project = _open(path)
        answers = project.answers
        try:
            for word in features:
                answers = with_word(answers, word, add=adding)
        except AnswerError as exc:
            raise UserError(str(exc)) from exc
        title = f"{verb} {' '.join(features)}"
        return _update(project, answers, title, check, show_diff, allow_database_change)

    words = ", ".join(BY_WORD)
    command_.help = (
        f"{verb.capitalize()} features, then update the project like "
        f"'webdev-new update' does.\n\nFEATURE is one of: {words}."
    )
    return command_


add = _word_command(adding=True)
remove = _word_command(adding=False)


def _open(path: str):
    from .update import UpdateError, open_project

    try:
        return open_project(Path(path))
    except UpdateError as exc:
        raise UserError(str(exc)) from exc


def _update(
    project,
    answers: Answers,
    title: str,
    check: bool,
    show_diff: bool,
    allow_database_change: bool,
) -> int:
    """Preview (``--check``, ``--diff``) or run an update; return the exit
    status."""
    from . import update as lifecycle_update

    _database_change(
        project.answers["database"], answers["database"], allow_database_change
    )
    preview = check or show_diff
    try:
        with (
            lifecycle_update.scratch_objects(project.git)
            if preview
            else nullcontext(project.git)
        ) as git:
            plan = lifecycle_update.plan(project, answers, git)
            if preview:
                if show_diff:
                    click.echo(lifecycle_update.diff(plan, git), nl=False)
                _summary(plan, to_stderr=show_diff)
                return 0 if plan.up_to_date else EXIT_CHANGES
            if plan.up_to_date:
                _echo(f"Up to date with webdev-new {__version__}: nothing to merge.")
                return 0
            outcome = lifecycle_update.apply(plan, title)
    except lifecycle_update.UpdateError as exc:
        raise UserError(str(exc)) from exc
    branch = project.branch.removeprefix("refs/heads/")
    if outcome.conflicts:
        _conflicts_left(branch, outcome.conflicts)
        return EXIT_CONFLICTS
    _merged(branch, plan)
    return 0


def _database_change(before: str, after: str, allowed: bool) -> None:
    """Refuse a change of database without ``--allow-database-change``;
    warn that no data moves with it."""
    if before == after:
        return
    if not allowed:
        raise UserError(
            f"changing the database ({before} -> {after}) needs "
            "--allow-database-change: data in the old database is not moved"
        )
    click.echo(
        f"warning: the database changes from {before} to {after}; no data is "
        "moved: export it from the old database and load it into the new one",
        err=True,
    )


def _conflicts_left(branch: str, conflicts: list[str]) -> None:
    """What a merge with conflicts left, and how to finish or give it up."""
    _echo(
        f"Merged webdev-new {__version__} into {branch} with conflicts in "
        f"{_files(len(conflicts))}:",
        color="yellow",
        bold=True,
    )
    for path in conflicts:
        _echo(f"  {path}")
    _echo("Resolve them, then finish the merge:")
    _echo("  git mergetool          # or edit the files and git add them")
    _echo("  git merge --continue")
    _echo("Or give up the update: git merge --abort")


def _merged(branch: str, plan: Any) -> None:
    """What a clean merge changed, and how to undo it."""
    _echo(
        f"Merged webdev-new {__version__} into {branch}: "
        f"{_files(len(plan.changes))} changed.",
        color="green",
        bold=True,
    )
    for change in plan.answer_changes():
        _echo(f"  answer: {change}")
    for letter, path in plan.changes:
        _echo(f"  {letter} {path}")
    if any(path == ".env.example" for _letter, path in plan.changes):
        _echo("Your .env is left alone: copy any new settings from .env.example.")
    _echo("Undo it with: git reset --hard ORIG_HEAD")


def _files(count: int) -> str:
    return f"{count} file" if count == 1 else f"{count} files"


def _summary(plan, *, to_stderr: bool) -> None:
    def say(line: str) -> None:
        click.echo(line, err=to_stderr)

    if plan.up_to_date:
        say(f"Up to date with webdev-new {__version__}: nothing would change.")
        return
    say(f"webdev-new {__version__} would change {_files(len(plan.changes))}:")
    for change in plan.answer_changes():
        say(f"  answer: {change}")
    for letter, path in plan.changes:
        mark = "  (conflict)" if path in plan.conflicts else ""
        say(f"  {letter} {path}{mark}")
    if plan.conflicts:
        say(f"{len(plan.conflicts)} of them would conflict with your changes.")


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
SUBCOMMANDS = {
    "serve": serve_command,
    "update": update,
    "add": add,
    "remove": remove,
}
#: The commands that work on an existing project (an interruption leaves it
#: as it was rather than writing nothing).
LIFECYCLE_COMMANDS = ("update", "add", "remove")


def main(argv: list[str] | None = None) -> None:
    """Entry point: maps every failure to its exit status and one line."""
    args = sys.argv[1:] if argv is None else list(argv)
    chosen, prog = command, "webdev-new"
    untouched = "nothing was written"
    if args and args[0] in SUBCOMMANDS:
        if args[0] in LIFECYCLE_COMMANDS:
            untouched = "the project is as it was"
        chosen, prog = SUBCOMMANDS[args[0]], f"webdev-new {args[0]}"
        args = args[1:]
    try:
        status = chosen.main(args=args, prog_name=prog, standalone_mode=False)
    except (KeyboardInterrupt, click.Abort):
        click.echo(f"\nInterrupted: {untouched}.", err=True)
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
    sys.exit(status if isinstance(status, int) else 0)
