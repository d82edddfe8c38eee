"""The command line as a user meets it: flags, answers files, errors, output."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from clitools import assert_one_line_error, run, snapshot

from generator import __version__
from generator.catalogue import FEATURES, complete


def answers_of(project: Path) -> dict:
    record = json.loads((project / ".webdev-new.json").read_text())
    assert record.pop("generator") == {"name": "webdev-new", "version": __version__}
    return record


def test_yes_generates_the_default_project_and_says_defaults_were_used(tmp_path):
    result = run("mysite", "--yes", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "defaults used for framework, django_version, database" in result.stdout
    project = tmp_path / "mysite"
    defaults = complete({})
    expected = {k: list(v) if isinstance(v, tuple) else v for k, v in defaults.items()}
    assert answers_of(project) == expected
    assert (project / "manage.py").is_file()
    # Nothing but the project was created, not even a stray temporary dir.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mysite"]


def test_stdin_not_a_terminal_never_prompts_and_says_so(tmp_path):
    result = run("site2", "--framework", "flask", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "standard input is not a terminal" in result.stdout
    assert answers_of(tmp_path / "site2")["framework"] == "flask"


def test_flags_are_honoured(tmp_path):
    result = run(
        "shop",
        "--framework=flask",
        "--database=postgresql",
        "--no-auth",
        "--no-admin",
        "--i18n",
        "--tasks=celery",
        "--monitoring=sentry",
        "--hosting=fly,heroku",
        "--ci=gitlab",
        "--no-git",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert answers_of(tmp_path / "shop") == {
        "framework": "flask",
        "database": "postgresql",
        "auth": False,
        "admin": False,
        "i18n": True,
        "tasks": "celery",
        "api": "none",
        "monitoring": "sentry",
        "hosting": ["heroku", "fly"],
        "ci": "gitlab",
    }


def test_django_release_flag_gives_a_django_6_0_project(tmp_path):
    result = run("six", "--yes", "--no-git", "--django-version", "6.0", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "six"
    assert answers_of(project)["django_version"] == "6.0"
    pyproject = (project / "pyproject.toml").read_text()
    assert 'requires-python = ">=3.12"' in pyproject
    assert '"django>=6.0,<6.1"' in pyproject and "django-csp" not in pyproject
    assert "\ndjango==6.0." in (project / "requirements.txt").read_text()
    # The next steps make the environment with a Python that can run it.
    assert "python3.12 -m venv .venv" in result.stdout
    assert "Django 6.0 needs Python 3.12 or newer" in result.stdout


def test_django_release_is_refused_for_flask(tmp_path):
    result = run(
        "fl", "--yes", "--framework", "flask", "--django-version", "6.0", cwd=tmp_path
    )
    assert_one_line_error(result, "django_version is only asked with django")
    assert list(tmp_path.iterdir()) == []
    flask = run("fl", "--yes", "--no-git", "--framework", "flask", cwd=tmp_path)
    assert flask.returncode == 0, flask.stderr
    assert "django_version" not in answers_of(tmp_path / "fl")
    assert "django_version" not in flask.stdout


def test_flask_without_database_gets_no_auth_and_no_admin_by_default(tmp_path):
    result = run("tiny", "--framework", "flask", "--database", "none", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    answers = answers_of(tmp_path / "tiny")
    assert (answers["auth"], answers["admin"]) == (False, False)


def test_answers_file_recreates_the_same_choices(tmp_path):
    first = run(
        "one", "--framework", "flask", "--i18n", "--hosting", "render", cwd=tmp_path
    )
    assert first.returncode == 0, first.stderr
    again = run(
        "two",
        "--answers",
        str(tmp_path / "one" / ".webdev-new.json"),
        "--yes",
        cwd=tmp_path,
    )
    assert again.returncode == 0, again.stderr
    assert "defaults used" not in again.stdout
    assert answers_of(tmp_path / "two") == answers_of(tmp_path / "one")


def test_yaml_answers_file_and_flags_override_it(tmp_path):
    (tmp_path / "answers.yaml").write_text(
        "framework: flask\ndatabase: mysql\nhosting: [heroku]\ntasks: celery\n"
    )
    result = run(
        "yml",
        "--answers",
        "answers.yaml",
        "--database",
        "postgresql",
        "--yes",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    answers = answers_of(tmp_path / "yml")
    assert answers["framework"] == "flask"
    assert answers["database"] == "postgresql"
    assert answers["hosting"] == ["heroku"]
    assert answers["tasks"] == "celery"


def test_dry_run_lists_the_tree_and_writes_nothing(tmp_path):
    before = snapshot(tmp_path)
    result = run("dry", "--dry-run", "--yes", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "manage.py" in result.stdout
    assert ".webdev-new.json" in result.stdout
    assert snapshot(tmp_path) == before


def test_git_repository_first_commit_is_the_generated_tree(tmp_path):
    result = run("repo", "--yes", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "repo"

    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=project, capture_output=True, text=True, check=True
        ).stdout

    assert len(git("rev-list", "--all").split()) == 1
    # Nothing untracked or modified: every generated file is in the commit
    # except what .gitignore keeps out (the local .env with its secret).
    status = git("status", "--porcelain", "--ignored").splitlines()
    assert status == ["!! .env"], status
    assert ".env" not in git("ls-files").split()


def test_no_git_leaves_no_repository(tmp_path):
    result = run("plain", "--yes", "--no-git", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "plain" / ".git").exists()


def test_missing_git_is_reported_not_fatal(tmp_path):
    result = run("nogit", "--yes", cwd=tmp_path, env={"PATH": "/nonexistent"})
    assert result.returncode == 0, result.stderr
    assert "git was not found" in result.stdout
    assert not (tmp_path / "nogit" / ".git").exists()


def test_output_dir_option(tmp_path):
    (tmp_path / "out").mkdir()
    result = run("placed", "--yes", "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "placed" / ".webdev-new.json").is_file()


def test_empty_existing_target_is_used(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("empty", "--yes", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "empty" / ".webdev-new.json").is_file()


def test_next_steps_are_tailored_to_the_answers(tmp_path):
    result = run(
        "steps",
        "--framework",
        "flask",
        "--hosting",
        "heroku,fly",
        "--tasks",
        "celery",
        "--monitoring",
        "sentry",
        "--no-git",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    tail = result.stdout.split("Next steps:")[1]
    assert "cd steps" in tail
    assert "flask db upgrade" in tail
    assert "flask create-admin" in tail
    assert "deploy (heroku)" in tail and "deploy (fly)" in tail
    assert "deploy (docker)" not in tail
    assert "worker" in tail and "beat" in tail
    assert "SENTRY_DSN" in tail
    assert "api-token" not in tail
    django = run("dj", "--yes", "--no-git", "--no-admin", "--api", "rest", cwd=tmp_path)
    tail = django.stdout.split("Next steps:")[1]
    assert "manage.py migrate" in tail and "createsuperuser" not in tail
    assert "SENTRY_DSN" not in tail and "beat" not in tail
    assert "python manage.py api_token EMAIL" in tail


def test_version():
    result = run("--version", cwd=Path.cwd())
    assert result.returncode == 0
    assert result.stdout.strip() == f"webdev-new {__version__}"


def test_help_lists_every_flag_with_choices_and_default():
    result = run("--help", cwd=Path.cwd())
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for feature in FEATURES:
        if feature.kind == "bool":
            assert f"{feature.flag} / --no-{feature.flag[2:]}" in text
            default = "yes" if feature.default else "no"
        else:
            assert feature.flag in text
            for choice in feature.choices:
                assert choice in text
            default = (
                ",".join(feature.default)
                if isinstance(feature.default, tuple)
                else feature.default
            )
        assert f"{feature.help} [default: {default}]" in text
    for flag in (
        "--yes",
        "--answers",
        "--output-dir",
        "--dry-run",
        "--no-git",
        "--install",
        "--list-features",
        "--version",
    ):
        assert flag in text


def test_list_features_shows_the_catalogue():
    result = run("--list-features", cwd=Path.cwd())
    assert result.returncode == 0
    for feature in FEATURES:
        assert f"\n{feature.key}\n" in f"\n{result.stdout}"
        assert feature.help in result.stdout
    assert "'none' only with: flask" in result.stdout
    assert "django_version" in result.stdout
    assert "asked only with: django" in result.stdout
    assert "Flask admin needs auth" in result.stdout


def test_output_is_plain_when_not_a_terminal(tmp_path):
    result = run("plainout", "--yes", "--no-git", cwd=tmp_path, env={"NO_COLOR": ""})
    assert result.returncode == 0
    assert "\x1b[" not in result.stdout


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--database", "oracle"], ["database", "'oracle'", "sqlite, postgresql"]),
        (["--framework", "rails"], ["framework", "'rails'", "django, flask"]),
        (["--tasks", "rq"], ["tasks", "'rq'", "none, celery"]),
        (["--monitoring", "rollbar"], ["monitoring", "'rollbar'", "none, sentry"]),
        (["--ci", "jenkins"], ["ci", "'jenkins'", "github, gitlab, none"]),
        (["--hosting", "docker,aws"], ["hosting", "'aws'", "docker, heroku"]),
        (["--database", "none"], ["database", "'none'", "not available with django"]),
        (
            ["--framework", "flask", "--database", "none", "--auth"],
            ["Flask auth needs a database"],
        ),
        (
            ["--framework", "flask", "--no-auth", "--admin"],
            ["Flask admin needs auth"],
        ),
        (
            ["--framework", "flask", "--no-auth", "--api", "rest"],
            ["the REST API needs accounts (auth)"],
        ),
        (["--api", "graphql"], ["api", "'graphql'", "none, rest"]),
        (
            ["--database", "sqlite", "--hosting", "docker,heroku"],
            ["SQLite keeps its data", "choose postgresql or mysql"],
        ),
        (["--bogus"], ["No such option", "--bogus"]),
    ],
)
def test_bad_flags_are_refused_before_anything_is_written(tmp_path, args, fragments):
    before = snapshot(tmp_path)
    result = run("proj", "--yes", *args, cwd=tmp_path)
    assert_one_line_error(result, *fragments)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        (
            '{"colour": "blue"}',
            ["unknown question 'colour'", "framework, django_version, database"],
        ),
        ('{"database": "oracle"}', ["database", "'oracle'"]),
        ('{"auth": "maybe"}', ["auth", "'maybe'", "yes, no"]),
        ("{not json", ["is not valid"]),
        ('["django"]', ["must hold a mapping"]),
    ],
)
def test_bad_answers_files_are_refused(tmp_path, content, fragments):
    (tmp_path / "answers.json").write_text(content)
    before = snapshot(tmp_path)
    result = run("proj", "--answers", "answers.json", "--yes", cwd=tmp_path)
    assert_one_line_error(result, *fragments)
    assert snapshot(tmp_path) == before


def test_missing_answers_file(tmp_path):
    result = run("proj", "--answers", "nope.json", "--yes", cwd=tmp_path)
    assert_one_line_error(result, "cannot read answers file nope.json")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        ("", ["empty"]),
        ("1st-site", ["starts with a digit", "try 'site_1st_site'"]),
        ("class", ["Python keyword", "try 'class_site'"]),
        ("match", ["Python keyword"]),
        ("email", ["standard-library module", "try 'my_email'"]),
        ("site", ["standard-library module"]),
        ("test", ["standard-library module"]),
        ("django", ["package the project uses", "try 'my_django'"]),
        ("Flask", ["package the project uses"]),
        ("celery", ["package the project uses"]),
        ("a/b", ["is a path", "'b'"]),
        ("..", ["is a path"]),
        ("back\\slash", ["is a path"]),
        ("x" * 65, ["65 characters long (at most 64)"]),
        ("café", ["may only use letters"]),
        ("semi;colon", ["may only use letters", "try 'semicolon'"]),
    ],
)
def test_bad_names_are_refused_with_reason_and_suggestion(tmp_path, name, fragments):
    before = snapshot(tmp_path.parent)
    result = run(name, "--yes", cwd=tmp_path)
    assert_one_line_error(result, "invalid project name", *fragments)
    assert snapshot(tmp_path.parent) == before


def test_name_is_required_without_questions(tmp_path):
    result = run("--yes", cwd=tmp_path)
    assert_one_line_error(result, "a project NAME is required")


def test_existing_non_empty_target_is_refused_and_left_alone(tmp_path):
    target = tmp_path / "taken"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    before = snapshot(tmp_path)
    result = run("taken", "--yes", cwd=tmp_path)
    assert_one_line_error(result, "already exists and is not empty")
    assert snapshot(tmp_path) == before
    assert (target / "notes.txt").read_text() == "mine"


def test_existing_file_as_target_is_refused(tmp_path):
    (tmp_path / "afile").write_text("keep")
    result = run("afile", "--yes", cwd=tmp_path)
    assert_one_line_error(result, "already exists and is not a directory")
    assert (tmp_path / "afile").read_text() == "keep"


def test_missing_output_directory_is_refused(tmp_path):
    result = run("proj", "--yes", "-o", str(tmp_path / "no" / "such"), cwd=tmp_path)
    assert_one_line_error(result, "does not exist")
    assert list(tmp_path.iterdir()) == []
