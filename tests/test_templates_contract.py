"""The templates agree with the catalogue and stay usable with plain cookiecutter.

Plain ``cookiecutter`` and ``webdev-new`` give the same tree (paths, bytes and
file modes) for every combination the test matrix computes from the
catalogue, apart from what webdev-new adds on purpose (``.webdev-new.json``,
and the git repository unless ``--no-git``) and ``.env``'s random key; every
combination the rules forbid stops plain cookiecutter with the rule's one-line
message and leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import stat
import subprocess
import sys
from pathlib import Path

import combos
import pytest
from clitools import ROOT, run

from generator import render, rules
from generator.catalogue import (
    BY_KEY,
    CONSTRAINTS,
    FEATURES,
    FRAMEWORKS,
    AnswerError,
    Constraint,
    validate,
)
from generator.names import FRAMEWORK_NAMES

TEMPLATES = ROOT / "templates"


def template(framework: str) -> Path:
    return TEMPLATES / f"{framework}-starter"


def config(framework: str) -> dict:
    return json.loads((template(framework) / "cookiecutter.json").read_text())


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_cookiecutter_json_matches_the_catalogue(framework):
    data = config(framework)
    for feature in FEATURES:
        if feature.key == "framework" or not feature.asked_for(framework):
            # Not a question of this template (Flask has no Django release).
            assert feature.key not in data
            continue
        value = data[feature.key]
        if feature.kind == "bool":
            assert value is feature.default, feature.key
        elif feature.multiple:
            assert list(value) == list(feature.choices), feature.key
            assert {k for k, on in value.items() if on} == set(feature.default)
        else:
            allowed = feature.values_for(framework)
            assert set(value) == set(allowed), feature.key
            assert value[0] == feature.default, f"{feature.key}: default comes first"
    extra = set(data) - set(BY_KEY) - {"project_name", "project_slug"}
    assert all(key.startswith("_") for key in extra), extra


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_no_path_name_depends_on_an_answer(framework):
    allowed = {"{{cookiecutter.project_name}}", "{{cookiecutter.project_slug}}"}
    for path in template(framework).rglob("*"):
        for part in path.relative_to(template(framework)).parts:
            if "{{" in part or "{%" in part:
                assert part in allowed, path


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_manifest_rules_name_real_answers_and_real_paths(framework):
    project = template(framework) / "{{cookiecutter.project_name}}"
    manifest = config(framework)["_manifest"]
    assert manifest, "the manifest is empty"
    for rule in manifest:
        for key, want in rule["when"].items():
            feature = BY_KEY[key.split(".")[0]]
            values = want if isinstance(want, list) else [want]
            if feature.multiple:
                target = key.split(".")[1]
                assert target in feature.choices, key
                assert all(isinstance(v, bool) for v in values), key
            else:
                assert set(values) <= set(feature.values_for(framework)), key
        for pattern in rule["paths"]:
            source = pattern.replace("{project_slug}", "{{cookiecutter.project_slug}}")
            assert (project / source).exists(), f"{pattern} is not in the template"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_rules_are_the_catalogues(framework):
    """Each template's ``_rules`` are rules of the catalogue (so webdev-new and
    the template's hook apply the same ones), for that template's framework."""
    shipped = config(framework)["_rules"]
    assert shipped, "the template ships no rules"
    for data in shipped:
        rule = Constraint.from_data(data)  # names only real questions and values
        matching = [c for c in CONSTRAINTS if c.message == data["message"]]
        assert len(matching) == 1, data["message"]
        assert dict(matching[0].needs) == data["needs"]
        framework_free = {k: v for k, v in matching[0].when.items() if k != "framework"}
        assert framework_free == dict(rule.when)
        assert framework in matching[0].when.get("framework", [framework])


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_hooks_are_the_rules_module(framework):
    """Plain cookiecutter runs the module webdev-new imports, before and after
    rendering."""
    for name in ("pre_gen_project.py", "post_gen_project.py"):
        hook = template(framework) / "hooks" / name
        assert hook.resolve() == Path(rules.__file__).resolve(), name


def listing(project: Path) -> list[str]:
    return sorted(
        str(p.relative_to(project))
        for p in project.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(project).parts
    )


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_plain_cookiecutter_gives_the_default_project(tmp_path, framework):
    plain = tmp_path / "plain"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            "--no-input",
            str(template(framework)),
            "-o",
            str(plain),
            "project_name=demo",
        ],
        check=True,
        capture_output=True,
        text=True,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    ours = tmp_path / "ours"
    ours.mkdir()
    result = run("demo", "--yes", "--no-git", "--framework", framework, cwd=ours)
    assert result.returncode == 0, result.stderr
    generated = listing(ours / "demo")
    generated.remove(".webdev-new.json")
    assert listing(plain / "demo") == generated


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_env_file_gets_a_fresh_secret_key_and_is_ignored(tmp_path, framework):
    keys = []
    for name in ("first", "second"):
        result = run(name, "--yes", "--no-git", "--framework", framework, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        project = tmp_path / name
        env = (project / ".env").read_text()
        match = re.search(r"^SECRET_KEY=(\S{40,})$", env, re.MULTILINE)
        assert match, env
        keys.append(match.group(1))
        assert re.search(r"^SECRET_KEY=$", (project / ".env.example").read_text(), re.M)
        ignored = (project / ".gitignore").read_text().split()
        assert ".env" in ignored
        if (project / ".dockerignore").exists():
            assert ".env" in (project / ".dockerignore").read_text().split()
    assert keys[0] != keys[1]


# --------------------------------------------------------------------------
# Plain cookiecutter and webdev-new give the same tree


def matrix() -> list[dict]:
    """Every combination the matrix tests: the code combinations and the file
    combinations of both frameworks, each once."""
    unique = {}
    for framework in FRAMEWORKS:
        for answers in [
            *combos.code_combinations(framework),
            *combos.file_combinations(framework),
        ]:
            unique.setdefault(combos.combo_id(answers), answers)
    return list(unique.values())


def extra_context(answers: dict, name: str) -> dict:
    """``answers`` as a cookiecutter user passes them."""
    context = {"project_name": name}
    for feature in FEATURES:
        if feature.key == "framework" or feature.key not in answers:
            continue
        value = answers[feature.key]
        if feature.multiple:
            value = {choice: choice in value for choice in feature.choices}
        context[feature.key] = value
    return context


def plain_cookiecutter(answers: dict, out: Path, name: str) -> Path:
    """The library call a cookiecutter user makes, with no prompts."""
    from cookiecutter.main import cookiecutter

    return Path(
        cookiecutter(
            str(template(answers["framework"])),
            no_input=True,
            extra_context=extra_context(answers, name),
            output_dir=str(out),
            default_config=True,
        )
    )


def tree(project: Path) -> dict[str, tuple[int, str | None]]:
    """Every path with its mode and a digest of its bytes (None: a folder);
    ``.env``'s random key is masked after checking there is one."""
    entries: dict[str, tuple[int, str | None]] = {}
    for path in sorted(project.rglob("*")):
        relative = path.relative_to(project).as_posix()
        mode = stat.S_IMODE(path.lstat().st_mode)
        if path.is_dir():
            entries[relative + "/"] = (mode, None)
            continue
        data = path.read_bytes()
        if relative == ".env":
            data, found = re.subn(rb"(?m)^SECRET_KEY=\S{40,}$", b"SECRET_KEY=", data)
            assert found == 1, ".env holds no random SECRET_KEY"
        entries[relative] = (mode, hashlib.sha256(data).hexdigest())
    return entries


@pytest.fixture
def cookiecutter_home(tmp_path, monkeypatch):
    """cookiecutter writes its replay file under the home directory."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.mark.parametrize("answers", matrix(), ids=combos.combo_id)
def test_plain_cookiecutter_gives_the_same_tree(
    answers, store, tmp_path, cookiecutter_home
):
    ours = store.get(answers)  # the real command, with --no-git
    plain = plain_cookiecutter(answers, tmp_path / "plain", ours.name)
    assert plain.name == ours.name
    expected = tree(ours)
    # What webdev-new adds on purpose (the recorded answers).
    assert expected.pop(".webdev-new.json", None) is not None
    got = tree(plain)
    differences = sorted(
        f"{path}: webdev-new {expected.get(path)}, cookiecutter {got.get(path)}"
        for path in set(expected) | set(got)
        if expected.get(path) != got.get(path)
    )
    assert not differences, "\n".join(differences)


def forbidden(framework: str) -> list[tuple[dict, str]]:
    """Every combination of the answers the rules read (the others at their
    defaults) that the template offers and a rule forbids, with the message
    of the first rule it breaks."""
    read = [k for k in BY_KEY if any(k in c.reads for c in CONSTRAINTS)]
    read.remove("framework")
    defaults = {f.key: f.default for f in FEATURES}
    found = []
    for combo in itertools.product(*(BY_KEY[k].domain() for k in read)):
        answers = {**defaults, **dict(zip(read, combo, strict=True))}
        answers["framework"] = framework
        for feature in FEATURES:
            if not feature.asked_for(framework):
                answers.pop(feature.key)  # not a question of this template
        if any(
            item not in f.values_for(framework)
            for f in FEATURES
            if f.key in answers
            for item in f.items(answers[f.key])
        ):
            continue  # not a choice of this template: cookiecutter refuses it
        try:
            validate(answers)
        except AnswerError as exc:
            found.append((answers, str(exc)))
    return found


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_forbidden_combinations_stop_plain_cookiecutter(
    framework, tmp_path, cookiecutter_home, capfd
):
    from cookiecutter.exceptions import FailedHookException

    cases = forbidden(framework)
    assert cases, "the rules forbid nothing"
    problems = []
    for i, (answers, message) in enumerate(cases):
        out = tmp_path / f"out{i}"
        out.mkdir()
        with pytest.raises(FailedHookException):
            plain_cookiecutter(answers, out, "demo")
        lines = capfd.readouterr().err.strip().splitlines()
        if lines != [f"error: {message}"]:
            problems.append(f"{combos.combo_id(answers)}: {lines}")
        if list(out.iterdir()):
            problems.append(f"{combos.combo_id(answers)}: left {list(out.iterdir())}")
    assert not problems, "\n".join(problems)


def test_plain_cookiecutter_command_refuses_flask_auth_without_database(tmp_path):
    """The command line a reader of templates/README.md types."""
    out = tmp_path / "out"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            "--no-input",
            str(template("flask")),
            "-o",
            str(out),
            "database=none",
        ],
        capture_output=True,
        text=True,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0
    message = "error: Flask auth needs a database (choose sqlite, postgresql or mysql)"
    assert result.stderr.splitlines().count(message) == 1, result.stderr
    assert not out.exists() or list(out.iterdir()) == []
    # With the answers the rule asks for, the same command makes the project.
    subprocess.run(
        [*result.args, "auth=no", "admin=no"],
        check=True,
        capture_output=True,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert (out / "myapp" / "pyproject.toml").exists()
    assert not (out / "myapp" / "myapp" / "auth.py").exists()


# --------------------------------------------------------------------------
# What both templates share: templates/shared


SHARED = TEMPLATES / "shared"


def include_folder(framework: str) -> Path:
    """Where cookiecutter looks up what a template file includes."""
    return template(framework) / "templates"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_include_folder_links_the_shared_files(framework):
    """Each file in a template's include folder is a link to the file of the
    same name in templates/shared (a link to a file, which a wheel keeps),
    and both templates link the same files; a folder there holds the
    template's own parts (e.g. Django's ``settings/``), never links."""

    def shared_links(framework: str) -> set[str]:
        return {
            entry.name
            for entry in include_folder(framework).iterdir()
            if not entry.is_dir() or entry.is_symlink()
        }

    entries = sorted(include_folder(framework).iterdir())
    assert entries, "the include folder is empty"
    for entry in entries:
        if entry.is_dir() and not entry.is_symlink():
            own = [path for path in entry.rglob("*") if path.is_symlink()]
            assert not own, own
            continue
        assert entry.is_symlink(), entry
        assert entry.resolve() == (SHARED / entry.name).resolve(), entry
    assert shared_links(framework) == shared_links("django")


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_part_in_the_include_folder_is_included(framework):
    """A template's own parts (the files in the folders of its include folder,
    e.g. Django's ``settings/*.py``) are each named by one of its files: a part
    nothing includes would be kept and edited for nothing."""
    folder = include_folder(framework)
    sources = "\n".join(
        path.read_text(errors="replace")
        for path in template(framework).rglob("*")
        if path.is_file() and "hooks" not in path.parts
    )
    parts = [
        path.relative_to(folder).as_posix()
        for entry in folder.iterdir()
        if entry.is_dir() and not entry.is_symlink()
        for path in entry.rglob("*")
        if path.is_file()
    ]
    assert parts, "the template has no parts of its own"
    unused = [part for part in parts if f'"{part}"' not in sources]
    assert not unused, f"included by no template file: {unused}"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_shared_file_is_used_by_the_template(framework):
    """A shared file reaches each template, through its include folder or a
    link in its project folder."""
    linked = {
        path.resolve() for path in template(framework).rglob("*") if path.is_symlink()
    }
    for shared in SHARED.iterdir():
        assert shared.resolve() in linked, f"{framework} does not use {shared.name}"


def shared_literals() -> dict[str, str]:
    """Each shared version as the pattern it is written with in a file."""
    versions = render.shared_versions()
    exact = {
        name: re.escape(getattr(versions, name))
        for name in ("python", "python_release", "python_oldest")
    }
    exact["python_oldest_tag"] = "py" + versions.python_oldest.replace(".", "")
    for image in ("postgres", "mariadb", "redis"):
        exact[image] = re.escape(getattr(versions, image))
        exact[f"{image}_image"] = f"{image}:{getattr(versions, image + '_major')}"
    # A version is a whole token: 3.12 is not part of 3.12.13 or 13.12.
    return {k: rf"(?<![\w.]){v}(?![\w.]*\d)" for k, v in exact.items()}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_shared_versions_are_written_only_in_their_definition(framework):
    """No file of a template writes out a version templates/shared defines:
    each reads it from versions.jinja.  The locks are left out (their
    markers name Python versions of their own)."""
    patterns = shared_literals()
    found = []
    for path in sorted(template(framework).rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        if path.name.startswith("requirements") or path.suffix in (".mo", ".po"):
            continue
        text = path.read_text()
        for name, pattern in patterns.items():
            for match in re.finditer(pattern, text):
                found.append(f"{path.relative_to(TEMPLATES)}: {match.group()} ({name})")
    assert not found, "\n".join(found)


def test_shared_versions_agree_with_each_other():
    """The GitLab image's release is a release of the Python projects run
    on, which is no older than the oldest one they support."""
    versions = render.shared_versions()
    assert versions.python_release.startswith(versions.python + ".")
    oldest = [int(part) for part in versions.python_oldest.split(".")]
    assert oldest <= [int(part) for part in versions.python.split(".")]


@pytest.mark.parametrize("framework", ["django", "flask"])
def test_names_of_the_tests_helper_modules_are_refused_as_project_names(framework):
    """pytest puts a project's tests/ first on the path, so a helper module
    there would hide a package of the same name: each such name is refused."""
    tests_dir = (
        TEMPLATES / f"{framework}-starter" / "{{cookiecutter.project_name}}" / "tests"
    )
    helpers = {
        path.stem
        for path in tests_dir.glob("*.py")
        if not path.stem.startswith("test_") and path.stem != "conftest"
    }
    assert helpers <= FRAMEWORK_NAMES[framework], helpers - FRAMEWORK_NAMES[framework]
