"""The interactive path, driven through a real pseudo-terminal."""

from __future__ import annotations

import json
import os

import pexpect
import pytest
from clitools import script, snapshot

DOWN = "\x1b[B"
ENTER = "\r"


def spawn(*args: str, cwd, env: dict[str, str] | None = None) -> pexpect.spawn:
    # pexpect does not answer prompt_toolkit's cursor-position requests.
    full_env = {**os.environ, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}
    full_env.pop("NO_COLOR", None)
    full_env.update(env or {})
    return pexpect.spawn(
        script(),
        list(args),
        cwd=str(cwd),
        env=full_env,
        encoding="utf-8",
        timeout=20,
        dimensions=(40, 160),
    )


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return (
        child.exitstatus if child.exitstatus is not None else 128 + child.signalstatus
    )


def test_wizard_asks_only_possible_questions_and_writes_the_answers(tmp_path):
    child = spawn(cwd=tmp_path)
    child.expect("Project name")
    child.send("\x7f" * 6 + "wiz" + ENTER)  # replace the suggested name
    child.expect("Web framework")
    child.send(DOWN + ENTER)  # flask
    child.expect("Database")
    child.expect("none")  # offered for Flask
    child.send(DOWN * 3 + ENTER)  # sqlite, postgresql, mysql, none
    # Without a database Flask can have neither accounts nor the admin:
    # those questions are not asked at all.
    child.expect("Translations")
    before = child.before
    assert "User accounts" not in before and "Admin site" not in before
    # The Django release is a question of Django projects only.
    assert "Django release" not in before
    child.send("y")
    child.expect("Background tasks")
    child.send(ENTER)
    child.expect("Error monitoring")
    child.send(DOWN + ENTER)  # none, sentry
    child.expect("Hosting targets")
    child.send(ENTER)
    child.expect("Continuous integration")
    child.send(ENTER)
    child.expect("Generate the project")
    summary = child.before
    assert "database" in summary and "none" in summary
    child.send(ENTER)
    child.expect("Next steps")
    assert finish(child) == 0
    answers = json.loads((tmp_path / "wiz" / ".webdev-new.json").read_text())
    assert answers["framework"] == "flask"
    assert answers["database"] == "none"
    assert (answers["auth"], answers["admin"], answers["i18n"]) == (False, False, True)
    assert answers["hosting"] == ["docker"]
    assert answers["monitoring"] == "sentry"
    assert "django_version" not in answers


def test_django_is_never_offered_database_none(tmp_path):
    child = spawn("--framework", "django", cwd=tmp_path)
    child.expect("Project name")
    child.send("\x7f" * 6 + "dj" + ENTER)
    child.expect("Django release")
    child.send(ENTER)
    child.expect("Database")
    child.expect("mysql")
    child.send(ENTER)
    child.expect("User accounts")
    assert "none" not in child.before
    child.sendcontrol("c")
    assert finish(child) == 130


def test_django_release_is_asked_for_django_and_recorded(tmp_path):
    child = spawn("rel", "--framework", "django", "--database", "sqlite", cwd=tmp_path)
    child.expect("Django release")
    child.expect("6.0")
    child.send(DOWN + ENTER)  # 5.2, 6.0
    for prompt in ("User accounts", "Admin site", "Translations", "Background"):
        child.expect(prompt)
        child.send(ENTER)
    for prompt in ("REST API", "Error monitoring"):
        child.expect(prompt)
        child.send(ENTER)
    for prompt in ("Hosting targets", "Continuous integration"):
        child.expect(prompt)
        child.send(ENTER)
    child.expect("Generate the project")
    assert "django_version 6.0" in " ".join(child.before.split())
    child.send(ENTER)
    child.expect("Next steps")
    assert finish(child) == 0
    project = tmp_path / "rel"
    assert (
        json.loads((project / ".webdev-new.json").read_text())["django_version"]
        == "6.0"
    )
    assert "django>=6.0,<6.1" in (project / "pyproject.toml").read_text()


def test_flags_and_answers_file_questions_are_not_asked_again(tmp_path):
    (tmp_path / "a.json").write_text('{"i18n": true, "tasks": "celery", "api": "none"}')
    child = spawn(
        "given",
        "--framework",
        "flask",
        "--database",
        "sqlite",
        "--answers",
        "a.json",
        cwd=tmp_path,
    )
    child.expect(r"\?")  # the first question asked
    child.expect("User accounts")
    for key in ("Project name", "Web framework", "Database"):
        assert key not in child.before
    child.send(ENTER)  # auth: yes
    child.expect("Admin site")
    child.send(ENTER)
    child.expect("Error monitoring")  # i18n, tasks and api came from the file
    assert "Translations" not in child.before and "Background" not in child.before
    assert "REST API" not in child.before
    child.sendcontrol("c")
    assert finish(child) == 130


def test_invalid_name_is_explained_while_typing(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep.txt").write_text("mine")
    before = snapshot(tmp_path)
    child = spawn(cwd=tmp_path)
    child.expect("Project name")
    child.send("\x7f" * 10 + "class" + ENTER)
    child.expect("Python keyword")
    child.send("\x7f" * 5 + "taken" + ENTER)
    child.expect("already exists and is.*empty")
    child.send("\x7f" * 5 + "classy" + ENTER)
    child.expect("Web framework")
    child.sendcontrol("c")
    assert finish(child) == 130
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "at", ["Project name", "Database", "Hosting targets", "Generate"]
)
def test_ctrl_c_at_any_prompt_exits_130_and_writes_nothing(tmp_path, at):
    before = snapshot(tmp_path)
    child = spawn(cwd=tmp_path)
    prompts = [
        "Project name",
        "Web framework",
        "Django release",
        "Database",
        "User accounts",
        "Admin site",
        "Translations",
        "Background tasks",
        "REST API",
        "Error monitoring",
        "Hosting targets",
        "Continuous integration",
        "Generate",
    ]
    for prompt in prompts:
        child.expect(prompt)
        if prompt == at:
            child.sendcontrol("c")
            break
        # Type a name at the first prompt; take the default everywhere else.
        child.send("ctrlc" + ENTER if prompt == "Project name" else ENTER)
    child.expect("nothing was written")
    assert finish(child) == 130
    assert snapshot(tmp_path) == before


def test_eof_exits_with_a_clear_message_and_writes_nothing(tmp_path):
    child = spawn(cwd=tmp_path)
    child.expect("Project name")
    child.send("\x7f" * 6)  # clear the suggested name: Ctrl-D on an empty line
    child.sendcontrol("d")
    child.expect("input ended")
    assert finish(child) == 130
    assert list(tmp_path.iterdir()) == []


def test_declining_the_summary_writes_nothing(tmp_path):
    child = spawn("nope", "--framework", "flask", "--database", "none", cwd=tmp_path)
    for prompt in (
        "Translations",
        "Background",
        "Error monitoring",
        "Hosting",
        "Continuous",
    ):
        child.expect(prompt)
        child.send(ENTER)
    child.expect("Generate the project")
    child.send("n")
    child.expect("nothing was written")
    assert finish(child) != 0
    assert list(tmp_path.iterdir()) == []


def test_output_is_coloured_on_a_terminal_unless_no_color(tmp_path):
    child = spawn("col", "--yes", "--no-git", cwd=tmp_path)
    child.expect(pexpect.EOF)
    assert "\x1b[" in child.before
    plain = spawn("nocol", "--yes", "--no-git", cwd=tmp_path, env={"NO_COLOR": "1"})
    plain.expect(pexpect.EOF)
    assert "\x1b[" not in plain.before
