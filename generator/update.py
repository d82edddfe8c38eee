"""Keep a generated project up to date: pristine renders merged by git.

The branch ``webdev-new/template`` of a generated repository holds nothing but
renders: its first commit is the generated tree (the project's own first
commit), and every update adds one commit with a new render of the installed
templates for the recorded (or changed) answers.  An update merges that branch
into the user's branch with git's own three-way merge, so the user's edits are
kept, deletions on either side are respected, and conflicts are ordinary git
conflicts that ``git mergetool``, ``git merge --continue`` and ``git merge
--abort`` understand.

Nothing here touches the user's working tree or index before the merge: the
render happens in a temporary directory outside the repository, its tree is
built with a temporary index (only what the render's own ``.gitignore`` files
let through, so the fresh ``.env`` never gets in), and previews (``--check``,
``--diff``) keep every object they make in a temporary object directory.  The
template branch moves just before ``git merge`` so that conflict markers name
it, and both moves are undone if the merge fails or is interrupted.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, names
from .catalogue import BY_KEY, FEATURES, AnswerError, Answers, complete, parse_answers

TEMPLATE_BRANCH = "webdev-new/template"
TEMPLATE_REF = f"refs/heads/{TEMPLATE_BRANCH}"
ANSWERS_FILE = ".webdev-new.json"
#: Trailer naming the project directory the templates were rendered for
#: (``.webdev-new.json`` holds answers only, and the name shows in files).
NAME_TRAILER = "Webdev-new-project"
ZERO = "0" * 40


class UpdateError(Exception):
    """A user error: reported as one line, nothing changed."""


# --------------------------------------------------------------------------
# git


class Git:
    """git commands in one repository, with an optional extra environment."""

    def __init__(self, root: Path, env: Mapping[str, str] | None = None) -> None:
        self.root = root
        self.env = {**os.environ, **(env or {})}
        # Plumbing output must not depend on the user's language.
        self.env["LC_ALL"] = "C"

    def with_env(self, **extra: str) -> Git:
        return Git(self.root, {**self.env, **extra})

    def run(
        self,
        *args: str,
        check: bool = True,
        input: str | None = None,
        cwd: Path | None = None,
        own_session: bool = False,
    ) -> subprocess.CompletedProcess[str]:
        """Run git; ``own_session`` keeps a terminal's Ctrl-C away from it so
        that it finishes, and this process decides what to keep."""
        result = subprocess.run(
            ["git", *args],
            cwd=cwd or self.root,
            env=self.env,
            input=input,
            capture_output=True,
            text=True,
            start_new_session=own_session,
        )
        if check and result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()
            last = detail[-1] if detail else f"exit status {result.returncode}"
            raise UpdateError(f"'git {' '.join(args[:2])}' failed: {last}")
        return result

    def out(self, *args: str, **kwargs: Any) -> str:
        return self.run(*args, **kwargs).stdout.strip()

    def ok(self, *args: str) -> bool:
        return self.run(*args, check=False).returncode == 0


def identity(git: Git) -> list[str]:
    """``-c`` options giving git an author when the user configured none, so
    that a machine without ``user.name`` can still commit."""
    args: list[str] = []
    for key, fallback in (
        ("user.name", "webdev-new"),
        ("user.email", "webdev-new@localhost"),
    ):
        if not git.run("config", key, check=False).stdout.strip():
            args += ["-c", f"{key}={fallback}"]
    return args


def build_tree(git: Git, directory: Path) -> str:
    """Write ``directory``'s files as a git tree and return its id.

    Only the ``.gitignore`` files inside ``directory`` decide what is left
    out (the user's own exclude files do not), so the same render always
    gives the same tree.  A temporary index keeps the real one untouched.
    """
    git_dir = git.out("rev-parse", "--absolute-git-dir")
    with tempfile.TemporaryDirectory(prefix="webdev-new-index-") as scratch:
        scratch_git = git.with_env(
            GIT_DIR=git_dir,
            GIT_INDEX_FILE=str(Path(scratch) / "index"),
            GIT_WORK_TREE=str(directory),
        )
        listed = scratch_git.run(
            "ls-files",
            "-z",
            "--others",
            "--exclude-per-directory=.gitignore",
            cwd=directory,
        ).stdout
        scratch_git.run("update-index", "--add", "-z", "--stdin", input=listed)
        return scratch_git.out("write-tree", cwd=directory)


def render_message(name: str, answers: Answers, subject: str) -> str:
    """A commit message holding the generator version, the answers and the
    project name (as a trailer, read back by later updates)."""
    lines = [subject, ""]
    for feature in FEATURES:
        if feature.key not in answers:
            continue  # not asked for this framework
        value = answers[feature.key]
        if isinstance(value, bool):
            shown = "yes" if value else "no"
        elif isinstance(value, tuple | list):
            shown = ",".join(value) or "(none)"
        else:
            shown = str(value)
        lines.append(f"{feature.key}: {shown}")
    lines += ["", f"{NAME_TRAILER}: {name}"]
    return "\n".join(lines) + "\n"


def commit_tree(git: Git, tree: str, parents: list[str], message: str) -> str:
    parent_args = [arg for parent in parents for arg in ("-p", parent)]
    return git.out(*identity(git), "commit-tree", tree, *parent_args, input=message)


def record_first_render(project: Path) -> None:
    """Make ``project`` a repository whose first commit is the generated tree,
    with the template branch pointing at that same commit."""
    git = Git(project)
    git.run("init", "--quiet", "--initial-branch=main")
    record = json.loads((project / ANSWERS_FILE).read_text())
    answers = complete(read_answers(record))
    tree = build_tree(git, project)
    message = render_message(
        project.name, answers, f"Initial project generated by webdev-new {__version__}"
    )
    commit = commit_tree(git, tree, [], message)
    git.run("update-ref", "refs/heads/main", commit, ZERO)
    git.run("update-ref", TEMPLATE_REF, commit, ZERO)
    git.run("reset", "--quiet")  # the index now matches the commit


# --------------------------------------------------------------------------
# The project and its refusals


def read_answers(record: Any, source: str = ANSWERS_FILE) -> Answers:
    """Every answer from a ``.webdev-new.json`` record (defaults for questions
    added since).  The rules between answers are not checked here: a project
    made under older rules must still be able to change the answer a newer
    rule refuses, and the answers it is rendered with are checked then."""
    if not isinstance(record, dict):
        raise UpdateError(f"{source} must hold a mapping of answers")
    raw = {k: v for k, v in record.items() if k != "generator"}
    try:
        given = parse_answers(raw, source)
    except AnswerError as exc:
        raise UpdateError(str(exc)) from exc
    framework = given.get("framework", BY_KEY["framework"].default)
    return {
        f.key: given.get(f.key, f.default)
        for f in FEATURES
        if f.key in given or f.asked_for(framework)
    }


def _release(version: str) -> tuple[int, ...] | None:
    match = re.match(r"\d+(\.\d+)*", version.strip())
    return tuple(int(p) for p in match.group(0).split(".")) if match else None


@dataclass(frozen=True)
class Project:
    """A generated project ready to be updated (every refusal passed)."""

    root: Path
    git: Git
    #: The branch being updated (``refs/heads/main``) and its commit.
    branch: str
    head: str
    answers: Answers


def open_project(path: Path) -> Project:
    """Find the project at ``path`` and refuse anything an update must not
    touch.  Reads only: nothing changes whatever it finds."""
    root = _project_root(path)
    answers = _recorded_answers(root)
    git = Git(root)
    branch, head = _branch_and_head(git)
    _refuse_unfinished_work(git)
    return Project(root, git, branch, head, answers)


def _project_root(path: Path) -> Path:
    """The root of the project's own git repository, holding its answers."""
    if not path.is_dir():
        raise UpdateError(f"{path} is not a directory")
    inside = Git(path).run("rev-parse", "--show-toplevel", check=False)
    top = Path(inside.stdout.strip()) if inside.returncode == 0 else None
    root = top or path
    if not (root / ANSWERS_FILE).is_file():
        if top is not None and (path / ANSWERS_FILE).is_file():
            raise UpdateError(
                f"{path} is inside the git repository {top} but is not its root: "
                "update works on a project that is its own repository"
            )
        raise UpdateError(
            f"{root} is not a webdev-new project (no {ANSWERS_FILE} at its root)"
        )
    if top is None:
        raise UpdateError(
            f"{root} is not a git repository: updates merge through git "
            "(was the project made with --no-git?)"
        )
    return root


def _recorded_answers(root: Path) -> Answers:
    """The answers the project was made with, from a webdev-new no newer
    than this one."""
    try:
        record = json.loads((root / ANSWERS_FILE).read_text())
    except (OSError, ValueError) as exc:
        raise UpdateError(f"{ANSWERS_FILE} cannot be read: {exc}") from exc
    made_by = str((record.get("generator") or {}).get("version", "0"))
    made, ours = _release(made_by), _release(__version__)
    if made is None or (ours is not None and made > ours):
        raise UpdateError(
            f"the project was made by webdev-new {made_by}, newer than this "
            f"webdev-new {__version__}: upgrade webdev-new first"
        )
    return read_answers(record)


def _branch_and_head(git: Git) -> tuple[str, str]:
    """The checked-out branch (one of the user's) and its commit."""
    branch = git.run("symbolic-ref", "--quiet", "HEAD", check=False).stdout.strip()
    if not branch:
        raise UpdateError(
            "HEAD is detached: check out the branch to update (git switch main)"
        )
    if branch == TEMPLATE_REF:
        raise UpdateError(
            f"{TEMPLATE_BRANCH} holds only renders: switch to your own branch first"
        )
    head = git.run("rev-parse", "--verify", "--quiet", "HEAD", check=False)
    if head.returncode != 0:
        raise UpdateError(f"the branch {branch} has no commit yet")
    return branch, head.stdout.strip()


#: git's marks of an operation in progress, and what to call it.
UNFINISHED = (
    ("MERGE_HEAD", "a merge"),
    ("CHERRY_PICK_HEAD", "a cherry-pick"),
    ("REVERT_HEAD", "a revert"),
    ("rebase-merge", "a rebase"),
    ("rebase-apply", "a rebase"),
)


def _refuse_unfinished_work(git: Git) -> None:
    """No merge, rebase or other operation in progress; nothing uncommitted."""
    git_dir = Path(git.out("rev-parse", "--absolute-git-dir"))
    for state, what in UNFINISHED:
        if (git_dir / state).exists():
            raise UpdateError(f"{what} is in progress: finish or abort it first")
    dirty = git.out("status", "--porcelain", "--untracked-files=no")
    if dirty:
        count = len(dirty.splitlines())
        raise UpdateError(
            f"the project has uncommitted changes ({count} files): "
            "commit or stash them first"
        )


# --------------------------------------------------------------------------
# Planning: render, commit the render, preview the merge


@dataclass
class Plan:
    """What an update would do, computed without touching the project."""

    project: Project
    answers: Answers
    #: The template commit the render builds on, and whether the branch is new
    #: (a project made before the branch existed: its first commit).
    base: str
    branch_exists: bool
    #: The commit holding the new render (``base`` when nothing changed).
    render: str
    #: The tree the merge gives, HEAD's tree, and what differs between them.
    result_tree: str
    head_tree: str
    changes: list[tuple[str, str]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    @property
    def up_to_date(self) -> bool:
        return self.result_tree == self.head_tree

    def answer_changes(self) -> list[str]:
        before = self.project.answers
        return [
            f"{f.key} {_shown(before[f.key])} -> {_shown(self.answers[f.key])}"
            for f in FEATURES
            if f.key in before and before[f.key] != self.answers[f.key]
        ]


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        return ",".join(value) or "(none)"
    return str(value)


def _template_base(project: Project) -> tuple[str, bool]:
    """The commit the next render builds on, and whether the branch exists.

    Without the branch (projects made by webdev-new 0.1.0), the first commit
    is the generated tree: it is used after checking that it recorded the
    same answers as the project does now.
    """
    git = project.git
    tip = git.run(
        "rev-parse", "--verify", "--quiet", f"{TEMPLATE_REF}^{{commit}}", check=False
    )
    if tip.returncode == 0:
        base = tip.stdout.strip()
        if not git.ok("merge-base", base, project.head):
            raise UpdateError(
                f"the branch {TEMPLATE_BRANCH} shares no history with HEAD"
            )
        return base, True
    roots = git.out("rev-list", "--max-parents=0", project.head).split()
    if len(roots) != 1:
        raise UpdateError(
            f"no {TEMPLATE_BRANCH} branch and {len(roots)} first commits: create "
            f"the branch at the commit holding the generated tree"
        )
    first = roots[0]
    shown = git.run("show", f"{first}:{ANSWERS_FILE}", check=False)
    try:
        recorded = read_answers(json.loads(shown.stdout), "the first commit")
    except (ValueError, UpdateError) as exc:
        raise UpdateError(
            f"no {TEMPLATE_BRANCH} branch, and the first commit has no usable "
            f"{ANSWERS_FILE}: it cannot serve as the generated tree"
        ) from exc
    if recorded != project.answers:
        raise UpdateError(
            f"no {TEMPLATE_BRANCH} branch, and the answers in the first commit "
            f"differ from {ANSWERS_FILE}: the first commit cannot serve as the "
            "generated tree"
        )
    return first, False


def _project_name(project: Project, base: str) -> str:
    """The name the templates were rendered for: the trailer our commits
    carry, else (0.1.0 projects) the directory name when its package is in
    the first commit, else that package's name."""
    git = project.git
    trailer = git.out(
        "log", "-1", f"--format=%(trailers:key={NAME_TRAILER},valueonly)", base
    )
    if trailer:
        return trailer.splitlines()[0].strip()
    directory = project.root.name
    if git.ok("cat-file", "-e", f"{base}:{names.package_name(directory)}"):
        return directory
    packages = []
    for line in git.out("ls-tree", base).splitlines():
        kind, path = line.split()[1], line.split("\t", 1)[1]
        if (
            kind == "tree"
            and path not in ("tests", "migrations")
            and git.ok("cat-file", "-e", f"{base}:{path}/__init__.py")
        ):
            packages.append(path)
    if len(packages) != 1:
        raise UpdateError(
            "cannot tell the project's name from its first commit; run the "
            "update from a directory named like the project"
        )
    return packages[0]


@contextmanager
def scratch_objects(git: Git) -> Iterator[Git]:
    """A git whose new objects go to a temporary directory (reading the
    project's own through alternates): previews leave no trace."""
    objects = git.out("rev-parse", "--git-path", "objects")
    objects_dir = (git.root / objects).resolve()
    with tempfile.TemporaryDirectory(prefix="webdev-new-objects-") as scratch:
        yield git.with_env(
            GIT_OBJECT_DIRECTORY=scratch,
            GIT_ALTERNATE_OBJECT_DIRECTORIES=str(objects_dir),
        )


def plan(project: Project, answers: Answers, git: Git) -> Plan:
    """Render ``answers`` with the installed templates and preview the merge.

    ``git`` decides where new objects go (the project's store for a real
    update, a scratch one for a preview).
    """
    from . import render

    base, branch_exists = _template_base(project)
    name = _project_name(project, base)
    package = names.package_name(name)
    with tempfile.TemporaryDirectory(prefix="webdev-new-render-") as scratch:
        try:
            rendered = render.render_tree(
                answers["framework"], name, package, answers, Path(scratch)
            )
        except render.RenderError as exc:
            raise UpdateError(str(exc)) from exc
        tree = build_tree(git, rendered)
    render_commit = base
    if tree != git.out("rev-parse", f"{base}^{{tree}}"):
        subject = f"Render of webdev-new {__version__} for {name}"
        message = render_message(name, answers, subject)
        render_commit = commit_tree(git, tree, [base], message)
    head_tree = git.out("rev-parse", f"{project.head}^{{tree}}")
    known = {
        "project": project,
        "answers": answers,
        "base": base,
        "branch_exists": branch_exists,
        "render": render_commit,
        "head_tree": head_tree,
    }
    if git.ok("merge-base", "--is-ancestor", render_commit, project.head):
        return Plan(**known, result_tree=head_tree)
    merged = git.run(
        "merge-tree",
        "--write-tree",
        "--name-only",
        "--no-messages",
        "-z",
        project.head,
        render_commit,
        check=False,
    )
    if merged.returncode not in (0, 1):
        raise UpdateError(f"'git merge-tree' failed: {merged.stderr.strip()}")
    result_tree, *conflicted = merged.stdout.split("\0")
    return Plan(
        **known,
        result_tree=result_tree,
        changes=_changes(git, project.head, result_tree),
        conflicts=sorted({path for path in conflicted if path}),
    )


def _changes(git: Git, old: str, new: str) -> list[tuple[str, str]]:
    """(status letter, path) for every file that differs, without renames."""
    raw = git.out("diff-tree", "-r", "--no-renames", "--name-status", "-z", old, new)
    parts = [p for p in raw.split("\0") if p]
    return list(zip(parts[0::2], parts[1::2], strict=True))


def diff(plan_: Plan, git: Git) -> str:
    """The patch the merge would bring to the working tree."""
    head, result = plan_.project.head, plan_.result_tree
    return git.run("diff", "--no-ext-diff", head, result).stdout


# --------------------------------------------------------------------------
# Applying: the merge, with everything undone on failure or Ctrl-C


@dataclass
class Outcome:
    conflicts: list[str]
    merge_commit: str | None


def merge_message(plan_: Plan, title: str) -> str:
    changed = plan_.answer_changes()
    subject = f"webdev-new {title}: " + (
        "; ".join(changed) if changed else f"templates of webdev-new {__version__}"
    )
    counts = {letter: 0 for letter in "AMD"}
    for letter, _path in plan_.changes:
        counts[letter[0]] = counts.get(letter[0], 0) + 1
    body = [
        subject,
        "",
        f"Merges the render of webdev-new {__version__} from the branch "
        f"{TEMPLATE_BRANCH}.",
        f"Files: {counts['A']} added, {counts['M']} modified, {counts['D']} deleted.",
        "",
        *(f"{letter} {path}" for letter, path in plan_.changes[:100]),
    ]
    if len(plan_.changes) > 100:
        body.append(f"... and {len(plan_.changes) - 100} more")
    return "\n".join(body) + "\n"


def apply(plan_: Plan, title: str) -> Outcome:
    """Move the template branch to the render and merge it into HEAD.

    A terminal's Ctrl-C does not reach git (it runs in its own session);
    it is noted, and once git has finished everything is put back as it was
    and KeyboardInterrupt raised.  A merge that fails for any reason other
    than conflicts is undone the same way.
    """
    added = [path for letter, path in plan_.changes if letter == "A"]
    in_the_way = [p for p in added if os.path.lexists(plan_.project.root / p)]
    if in_the_way:
        raise UpdateError(
            f"the update would add {in_the_way[0]}, which exists but is not "
            "tracked: move it away or commit it first"
        )
    interrupted = False

    def note(signum: int, frame: object) -> None:
        nonlocal interrupted
        interrupted = True

    previous = signal.signal(signal.SIGINT, note)
    rolled_back = False

    def roll_back() -> None:
        nonlocal rolled_back
        if not rolled_back:
            rolled_back = True
            _roll_back(plan_, added)

    def stop_if_interrupted() -> None:
        if interrupted:
            roll_back()
            raise KeyboardInterrupt

    try:
        conflicts = _merge(plan_, title, roll_back, stop_if_interrupted)
        head = plan_.project.git.out("rev-parse", "HEAD", own_session=True)
        stop_if_interrupted()
        return Outcome(conflicts, None if conflicts else head)
    except BaseException:
        roll_back()
        raise
    finally:
        signal.signal(signal.SIGINT, previous)


def _merge(
    plan_: Plan,
    title: str,
    roll_back: Callable[[], None],
    stop_if_interrupted: Callable[[], None],
) -> list[str]:
    """Point the template branch at the render and merge it; the paths left
    in conflict.  A merge that fails without conflicts is rolled back."""
    git = plan_.project.git
    old_tip = plan_.base if plan_.branch_exists else ZERO
    git.run(
        "update-ref",
        "-m",
        "webdev-new update",
        TEMPLATE_REF,
        plan_.render,
        old_tip,
        own_session=True,
    )
    merged = git.run(
        *identity(git),
        "merge",
        "--no-ff",
        "--no-edit",
        "-m",
        merge_message(plan_, title),
        TEMPLATE_BRANCH,
        check=False,
        own_session=True,
    )
    stop_if_interrupted()
    if merged.returncode == 0:
        return []
    unmerged = git.run("diff", "--name-only", "--diff-filter=U", "-z", own_session=True)
    conflicts = [path for path in unmerged.stdout.split("\0") if path]
    if not conflicts:
        roll_back()
        detail = (merged.stderr or merged.stdout).strip().splitlines()
        last = detail[-1] if detail else f"exit status {merged.returncode}"
        raise UpdateError(f"git merge failed, nothing changed: {last}")
    return conflicts


def _roll_back(plan_: Plan, added: list[str]) -> None:
    """Put HEAD, the index, the working tree and the template branch back.

    The tree was clean before the update, so resetting to the old HEAD
    restores every tracked file; files the merge added did not exist before
    (``apply`` checked), so removing them restores the rest.
    """
    project = plan_.project
    git = project.git
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        git.run("reset", "--hard", "--quiet", project.head, check=False)
        git.run(
            "update-ref", project.branch, project.head, check=False, own_session=True
        )
        for path in added:
            target = project.root / path
            if target.is_file() or target.is_symlink():
                target.unlink()
            elif target.is_dir():
                shutil.rmtree(target)
        if plan_.branch_exists:
            git.run("update-ref", TEMPLATE_REF, plan_.base, check=False)
        else:
            git.run("update-ref", "-d", TEMPLATE_REF, check=False)
    finally:
        signal.signal(signal.SIGINT, previous)
