"""Failures at any point leave the file system as it was; nothing piles up."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from clitools import ROOT, assert_one_line_error, run, script, snapshot

needs_root = pytest.mark.skipif(
    os.geteuid() != 0, reason="mounting a small tmpfs needs root"
)


#: A template file whose rendering never ends (a Jinja loop of 10**12 turns).
ENDLESS = "{% for _ in range(10 ** 12) %}{% endfor %}\n"


def template_copy(tmp_path: Path) -> Path:
    """A private copy of the templates to break on purpose."""
    root = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", root, symlinks=False)
    return root


@pytest.mark.parametrize(
    ("path", "content"),
    [
        # A Jinja syntax error in one of the project's files.
        ("{{cookiecutter.project_name}}/broken.txt", "{{ cookiecutter.project_name "),
        # Finishing the rendered project fails (its locks are trimmed to what
        # pyproject.toml declares, and this one is not TOML).
        ("{{cookiecutter.project_name}}/pyproject.toml", "[project\n"),
    ],
    ids=["template-error", "failing-finish"],
)
def test_broken_template_leaves_nothing_behind(tmp_path, path, content):
    templates = template_copy(tmp_path)
    (templates / "django-starter" / path).write_text(content)
    out = tmp_path / "out"
    out.mkdir()
    result = run("shop", "--yes", cwd=out, env={"WEBDEV_NEW_TEMPLATES": str(templates)})
    assert_one_line_error(result, "the template failed to render")
    assert list(out.iterdir()) == []


def test_ctrl_c_while_rendering_leaves_nothing_behind(tmp_path):
    templates = template_copy(tmp_path)
    # Rendered after manage.py: files come before the folders they sit beside.
    slow = "{{cookiecutter.project_name}}/{{cookiecutter.project_slug}}/slow.txt"
    (templates / "django-starter" / slow).write_text(ENDLESS)
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "WEBDEV_NEW_TEMPLATES": str(templates)}
    process = subprocess.Popen(
        [script(), "shop", "--yes"],
        cwd=out,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    # Wait until the half-written project exists, then interrupt the whole
    # process group, as Ctrl-C in a terminal does.
    while not any(out.rglob("manage.py")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert any(out.rglob("manage.py")), "rendering never started"
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "nothing was written" in stderr
    assert "Traceback" not in stderr
    assert list(out.iterdir()) == []


@contextmanager
def small_filesystem(path: Path, options: str):
    path.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], check=True
    )
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=True)


@needs_root
def test_full_disk_leaves_nothing_behind(tmp_path):
    with small_filesystem(tmp_path / "tiny", "size=48k") as disk:
        before = snapshot(disk)
        result = run("shop", "--yes", cwd=disk)
        assert_one_line_error(result, "No space left on device")
        assert snapshot(disk) == before


@needs_root
def test_read_only_parent_is_refused(tmp_path):
    with small_filesystem(tmp_path / "ro", "ro,size=1m") as disk:
        refused = run("shop", "--yes", "-o", str(disk), cwd=tmp_path)
        assert_one_line_error(refused, "is not writable")
        assert list(disk.iterdir()) == []


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs util-linux unshare")
def test_generation_works_without_network(tmp_path):
    probe = subprocess.run(["unshare", "--net", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot create a network namespace here (needs root)")
    result = subprocess.run(
        ["unshare", "--net", script(), "offline", "--yes", "--framework", "flask"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "offline" / "wsgi.py").is_file()


def test_no_replay_or_hook_files_pile_up(tmp_path):
    home = tmp_path / "home"
    scratch = tmp_path / "tmp"
    work = tmp_path / "work"
    for directory in (home, scratch, work):
        directory.mkdir()
    env = {"HOME": str(home), "TMPDIR": str(scratch)}
    cached = []
    for name in ("one", "two", "three"):
        result = run(name, "--yes", cwd=work, env=env)
        assert result.returncode == 0, result.stderr
        cached.append(sorted(p.name for p in home.rglob("*")))
    # The only thing kept in the home directory is the compiled-template
    # cache, and it does not grow from one run to the next.
    assert [p.name for p in home.iterdir()] == [".cache"]
    assert [p.name for p in (home / ".cache").iterdir()] == ["webdev-new"]
    assert cached[0] == cached[1] == cached[2]
    assert list(scratch.iterdir()) == []
    assert sorted(p.name for p in work.iterdir()) == ["one", "three", "two"]


def test_compiled_template_cache_gives_the_same_project(tmp_path):
    outputs = []
    for cache in ("cold", "cold", "unusable"):
        home = tmp_path / cache
        home.mkdir(exist_ok=True)
        if cache == "unusable":
            (home / ".cache").write_text("a file where the cache directory would go")
        out = tmp_path / f"out-{len(outputs)}"
        out.mkdir()
        result = run("same", "--yes", "--no-git", cwd=out, env={"HOME": str(home)})
        assert result.returncode == 0, result.stderr
        project = out / "same"
        outputs.append(
            {
                str(p.relative_to(project)): p.read_bytes()
                for p in sorted(project.rglob("*"))
                if p.is_file() and p.name != ".env"
            }
        )
    # First run fills the cache, second reads it, third has none at all.
    assert outputs[0] == outputs[1] == outputs[2]
