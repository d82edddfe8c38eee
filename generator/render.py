"""Render a template into place atomically.

Everything is written into a fresh temporary directory beside the target and
moved into place with one rename once complete, so a template error, a failing
step, a full disk or Ctrl-C leaves the file system as it was.  This module never
asks questions: it takes complete, validated answers.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import __version__, rules
from .catalogue import BY_KEY, Answers
from .rules import template_dir

ANSWERS_FILE = ".webdev-new.json"


class RenderError(Exception):
    """Generation failed; nothing was left behind."""


def check_target(target: Path) -> None:
    """Refuse a target that exists and is not empty, or cannot be created."""
    if target.is_symlink():
        raise RenderError(
            f"{target} is a symbolic link; choose another name or remove the link"
        )
    if target.exists():
        if not target.is_dir():
            raise RenderError(f"{target} already exists and is not a directory")
        if any(target.iterdir()):
            raise RenderError(f"{target} already exists and is not empty")
    parent = target.parent
    if not parent.is_dir():
        raise RenderError(f"the output directory {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise RenderError(f"the output directory {parent} is not writable")


def cookiecutter_context(framework: str, name: str, package: str, answers: Answers):
    """The cookiecutter context for ``answers``, from the template's own file.

    It is what plain ``cookiecutter`` builds from the same answers, so both
    routes render the same files.
    """
    template = template_dir(framework)
    try:
        defaults = rules.template_config(framework)
    except (OSError, ValueError) as exc:
        raise RenderError(f"no usable template at {template}: {exc}") from exc
    context: dict[str, Any] = {}
    for key, default in defaults.items():
        if key == "project_name":
            context[key] = name
        elif key == "project_slug":
            context[key] = package
        elif key in BY_KEY:
            context[key] = BY_KEY[key].context_value(answers[key], default)
        else:
            context[key] = default
    return {"cookiecutter": context}


def shared_versions() -> Any:
    """The versions both templates write into their projects, as attributes
    (``shared_versions().python``), read from their one definition in
    ``templates/shared/versions.jinja``."""
    from jinja2 import Environment, FileSystemLoader

    loader = FileSystemLoader(rules.templates_root() / "shared")
    return Environment(loader=loader).get_template("versions.jinja").module


def answers_record(answers: Answers) -> dict[str, Any]:
    """What ``.webdev-new.json`` holds; ``--answers`` reads it back."""
    plain = {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}
    return {"generator": {"name": "webdev-new", "version": __version__}, **plain}


def _private_directory(folder: Path) -> bool:
    """A real directory (not a link) that this user owns and only it may write.

    Jinja unpickles the files of its cache: a folder that another user owns
    or may write to could hold planted code.
    """
    status = folder.lstat()
    return (
        stat.S_ISDIR(status.st_mode)
        and status.st_uid == os.getuid()
        and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def _private_cache(*parts: str) -> Path | None:
    """A folder of the user's cache directory that only this user may write
    (every level checked), or None when there is no such folder."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    directory = base.joinpath("webdev-new", *parts)
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        levels = [directory, *directory.parents][: len(parts) + 1]
        private = all(_private_directory(folder) for folder in levels)
    except OSError:
        return None
    if not private or not os.access(directory, os.W_OK):
        return None
    return directory


def _template_key(template: Path) -> str:
    return hashlib.sha256(str(template.resolve()).encode()).hexdigest()[:16]


def _bytecode_cache(template: Path):
    """Jinja's compiled templates, kept between runs.

    Compiling every template file is most of the generation time; with the
    cache a second run only reads the compiled code.  One entry per template
    file (an entry is replaced when its source changes), in the user's cache
    directory; without a usable cache directory, templates are compiled as
    usual.  cookiecutter loads files by their path inside the template, so
    each template directory gets a folder of its own: otherwise the Django
    and Flask README.md (or two checkouts' copies) would keep replacing each
    other's entry.
    """
    from jinja2 import FileSystemBytecodeCache

    directory = _private_cache(f"jinja-{__version__}", _template_key(template))
    if directory is None:
        return None
    return FileSystemBytecodeCache(str(directory))


#: The folder of a template that holds the project (cookiecutter finds it by name).
PROJECT_ROOT = "{{cookiecutter.project_name}}"

#: The folder beside it where cookiecutter looks up the files a template file
#: includes, imports or extends; never rendered into a project.  In both
#: templates it holds links to the files of ``templates/shared`` (links to
#: files, which a wheel stores as copies; it would skip a linked folder).
INCLUDES = "templates"


def _kept(template: Path, context: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The template's folders and files that these answers keep, as paths
    relative to the template.

    The manifest's dropped paths are left out, and so are the ``__pycache__``
    folders an installer may leave beside the template's files.
    """
    answers = context["cookiecutter"]
    # Paths in the manifest name the project's folders; in the template they
    # are still the Jinja names.
    names = {key: f"{{{{cookiecutter.{key}}}}}" for key in answers}
    dropped = {
        f"{PROJECT_ROOT}/{path.format(**names)}"
        for path in rules.dropped_paths(answers["_manifest"], answers)
    }
    folders: list[str] = []
    files: list[str] = []
    for folder, subfolders, names_here in os.walk(template / PROJECT_ROOT):
        here = Path(folder).relative_to(template).as_posix()
        folders.append(here)
        subfolders[:] = sorted(
            d for d in subfolders if d != "__pycache__" and f"{here}/{d}" not in dropped
        )
        files += sorted(
            f"{here}/{f}" for f in names_here if f"{here}/{f}" not in dropped
        )
    return folders, files


def _build_view(
    template: Path, folders: list[str], files: list[str], view: Path
) -> None:
    for folder in folders:
        (view / folder).mkdir(mode=0o755, parents=True)
    for file in files:
        (view / file).symlink_to(template / file)
    if (template / INCLUDES).is_dir():
        (view / INCLUDES).symlink_to(template / INCLUDES)


def _pruned_view(template: Path, context: dict[str, Any], workdir: Path) -> Path:
    """A view of the template with only the files these answers keep.

    Every file in it is a symbolic link to the template's own, so cookiecutter
    renders exactly the files the project keeps and nothing has to be
    removed afterwards.  The view links the template's ``INCLUDES`` folder
    too, for the shared files its files include.  A view depends only on the
    template and its layout (the kept files and that link, both named in its
    key), so it is made once and kept in the user's cache directory (a
    folder only this user may write: the files it links to get rendered);
    without one, it is made in ``workdir`` for this render.
    """
    folders, files = _kept(template, context)
    listing = json.dumps([str(template.resolve()), INCLUDES, folders, files]).encode()
    cache = _private_cache(f"views-{__version__}", _template_key(template))
    if cache is None:
        view = workdir / ".template"
        _build_view(template, folders, files, view)
        return view
    view = cache / hashlib.sha256(listing).hexdigest()[:32]
    if view.is_dir() and _private_directory(view):
        return view
    scratch = Path(tempfile.mkdtemp(prefix=".new-", dir=cache))
    try:
        _build_view(template, folders, files, scratch / "view")
        try:
            (scratch / "view").rename(view)
        except OSError:  # made by a run at the same time: use theirs
            if not (view.is_dir() and _private_directory(view)):
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return view


def render_tree(
    framework: str, name: str, package: str, answers: Answers, workdir: Path
) -> Path:
    """Render into ``workdir`` and return the project directory inside it."""
    # Imported here: cookiecutter costs a noticeable part of start-up time
    # and --help, --version and validation errors do not need it.
    from cookiecutter.exceptions import CookiecutterException
    from cookiecutter.generate import generate_files
    from jinja2 import TemplateError, TemplateSyntaxError

    # cookiecutter logs its failures itself; ours are reported once, as one line.
    logging.getLogger("cookiecutter").addHandler(logging.NullHandler())
    logging.getLogger("cookiecutter").propagate = False

    workdir = workdir.absolute()
    template = template_dir(framework)
    context = cookiecutter_context(framework, name, package, answers)
    view = _pruned_view(template, context, workdir)
    cache = _bytecode_cache(template)
    if cache is not None:
        # cookiecutter's documented way to configure its Jinja environment.
        context["cookiecutter"]["_jinja2_env_vars"] = {"bytecode_cache": cache}
    try:
        project = generate_files(
            repo_dir=str(view),
            context=context,
            output_dir=str(workdir),
            accept_hooks=False,
        )
        rules.finish(Path(project))
    except TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name}, line {exc.lineno}"
        message = f"the template failed to render: {exc.message} ({where})"
        raise RenderError(message) from exc
    except (CookiecutterException, TemplateError) as exc:
        detail = (str(exc) or type(exc).__name__).splitlines()[0]
        raise RenderError(f"the template failed to render: {detail}") from exc
    except (KeyError, ValueError) as exc:
        raise RenderError(
            f"the template failed to render: finishing the project failed: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    finally:
        if view.parent == workdir:
            shutil.rmtree(view, ignore_errors=True)
    project_dir = Path(project)
    (project_dir / ANSWERS_FILE).write_text(
        json.dumps(answers_record(answers), indent=2) + "\n"
    )
    return project_dir


def generate(
    framework: str,
    name: str,
    package: str,
    answers: Answers,
    target: Path,
    finish: Callable[[Path], None] | None = None,
) -> None:
    """Render, let ``finish`` work on the complete tree, then move it to ``target``.

    ``finish`` runs before the move (e.g. ``git init`` and the first commit),
    so whatever it does is undone too if anything fails.
    """
    target = target.absolute()  # cookiecutter changes directory while rendering
    check_target(target)
    workdir = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        project = render_tree(framework, name, package, answers, workdir)
        if finish is not None:
            finish(project)
        # rename(2) replaces an empty directory, so an existing empty target
        # is taken over in the same single step.
        project.rename(target)
    except OSError as exc:
        raise RenderError(f"could not write the project: {exc}") from exc
    except subprocess.CalledProcessError as exc:
        raise RenderError(f"'{' '.join(exc.cmd)}' failed: {exc.stderr}") from exc
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def preview(framework: str, name: str, package: str, answers: Answers) -> list[str]:
    """The paths ``generate`` would write, rendered in a scratch directory."""
    with tempfile.TemporaryDirectory(prefix="webdev-new-") as scratch:
        project = render_tree(framework, name, package, answers, Path(scratch))
        return sorted(
            str(path.relative_to(project)) + ("/" if path.is_dir() else "")
            for path in project.rglob("*")
        )
