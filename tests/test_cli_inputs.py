"""Hostile or odd input to the command: refused with one line, nothing written."""

from __future__ import annotations

import os

import pytest
from clitools import assert_one_line_error, run, snapshot

from generator import __version__


@pytest.mark.parametrize(
    ("name", "framework", "fragments"),
    [
        (" mysite", "django", ["starts or ends with a space", "try 'mysite'"]),
        ("mysite ", "django", ["starts or ends with a space"]),
        (".git", "django", ["starts with '.'", "hidden directory", "try 'git'"]),
        ("-site", "flask", ["starts with '-'", "an option", "try 'site'"]),
        ("instance", "flask", ["'instance'", "flask project", "try 'my_instance'"]),
        ("wsgi", "flask", ["'wsgi'", "flask project"]),
        ("migrations", "flask", ["'migrations'", "flask project"]),
        ("database-setup", "flask", ["'database_setup'", "flask project"]),
        ("auth_actions", "flask", ["'auth_actions'", "flask project"]),
        ("staticfiles", "django", ["'staticfiles'", "django project"]),
    ],
)
def test_names_that_break_a_project_are_refused(tmp_path, name, framework, fragments):
    before = snapshot(tmp_path)
    result = run("--framework", framework, "--yes", "--", name, cwd=tmp_path)
    assert_one_line_error(result, "invalid project name", *fragments)
    assert snapshot(tmp_path) == before


def test_framework_names_are_fine_for_the_other_framework(tmp_path):
    result = run("instance", "--framework", "django", "--yes", "--no-git", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_endless_answers_file_is_refused(tmp_path):
    result = run("proj", "--answers", "/dev/zero", "--yes", cwd=tmp_path)
    assert_one_line_error(result, "answers file /dev/zero is larger than 64 KiB")


def test_symlink_target_is_named_as_a_link(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "proj").symlink_to(tmp_path / "real")
    result = run("proj", "--yes", cwd=tmp_path)
    assert_one_line_error(result, "is a symbolic link")
    assert list((tmp_path / "real").iterdir()) == []


def cache_files(cache_home) -> list:
    return list((cache_home / "webdev-new" / f"jinja-{__version__}").rglob("*.cache"))


def test_template_cache_is_used_only_when_private(tmp_path):
    """Jinja unpickles its cache files, so a cache directory others may write
    to is never read or written; a private one is."""
    private = tmp_path / "private"
    result = run(
        "one", "--yes", "--no-git", cwd=tmp_path, env={"XDG_CACHE_HOME": str(private)}
    )
    assert result.returncode == 0, result.stderr
    assert cache_files(private), "the private cache was not used"

    shared = tmp_path / "shared"
    planted = shared / "webdev-new" / f"jinja-{__version__}"
    planted.mkdir(parents=True)
    os.chmod(planted, 0o777)
    result = run(
        "two", "--yes", "--no-git", cwd=tmp_path, env={"XDG_CACHE_HOME": str(shared)}
    )
    assert result.returncode == 0, result.stderr
    assert cache_files(shared) == []


def test_missing_templates_are_one_line(tmp_path):
    """The rules come from the templates: without them nothing can be
    checked, and the command says so in one line."""
    result = run(
        "shop", "--yes", cwd=tmp_path, env={"WEBDEV_NEW_TEMPLATES": str(tmp_path)}
    )
    assert_one_line_error(result, "no usable templates at", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_template_views_are_kept_only_when_private(tmp_path):
    """A view links to the files that get rendered, so one that others may
    change is never used: the render makes its own, inside its directory."""
    private = tmp_path / "private"
    result = run(
        "one", "--yes", "--no-git", cwd=tmp_path, env={"XDG_CACHE_HOME": str(private)}
    )
    assert result.returncode == 0, result.stderr
    views = list((private / "webdev-new").glob(f"views-{__version__}/*/*"))
    assert len(views) == 1 and any(views[0].rglob("manage.py")), views

    shared = tmp_path / "shared"
    planted = shared / "webdev-new" / f"views-{__version__}"
    planted.mkdir(parents=True)
    os.chmod(planted, 0o777)
    result = run(
        "two", "--yes", "--no-git", cwd=tmp_path, env={"XDG_CACHE_HOME": str(shared)}
    )
    assert result.returncode == 0, result.stderr
    assert not any(planted.rglob("manage.py")), "a view was made in the shared folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "one",
        "private",
        "shared",
        "two",
    ]
