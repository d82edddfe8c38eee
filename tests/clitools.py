"""Running the real ``webdev-new`` console script, and watching the disk."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from testkit import environment

ROOT = Path(__file__).resolve().parent.parent


def script() -> str:
    """The installed console script next to this interpreter."""
    try:
        return environment.tool("webdev-new")
    except FileNotFoundError:
        raise AssertionError(
            "webdev-new is not installed: pip install -e '.[test]'"
        ) from None


def run(*args: str, cwd: Path, env: dict[str, str] | None = None, **kwargs):
    """Run ``webdev-new`` with stdin closed (so: never interactive)."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [script(), *args],
        cwd=cwd,
        env=full_env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


def snapshot(*roots: Path) -> dict[str, tuple[int, float] | None]:
    """Every path under ``roots`` with its size and mtime (None: a directory)."""
    seen: dict[str, tuple[int, float] | None] = {}
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            seen[dirpath] = None
            for name in filenames:
                path = os.path.join(dirpath, name)
                info = os.lstat(path)
                seen[path] = (info.st_size, info.st_mtime)
            dirnames.sort()
    return seen


def assert_one_line_error(result, *fragments: str) -> None:
    """Exit 1, exactly one line on stderr, naming every fragment, no traceback."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("webdev-new: error: "), lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
