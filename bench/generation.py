"""Sections 1 and 2: the command's start-up time and generation time, each
against its reference timed in the same rounds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import harness
from harness import Case

from testkit import environment

NAME = "mysite"

# Every feature on: the flags of webdev-new and the same answers as the plain
# cookiecutter context.
FULL_FLAGS = [
    "--database",
    "postgresql",
    "--auth",
    "--admin",
    "--i18n",
    "--tasks",
    "celery",
    "--hosting",
    "docker,heroku,render,fly",
    "--ci",
    "github",
]
FULL_CONTEXT = {
    "database": "postgresql",
    "auth": True,
    "admin": True,
    "i18n": True,
    "tasks": "celery",
    "hosting": {"docker": True, "heroku": True, "render": True, "fly": True},
    "ci": "github",
}


def _scratch(base: Path):
    """A fresh, empty directory per run (creating it is not timed)."""

    def prepare(index: int) -> Path:
        return harness.fresh_dir(base / str(index))

    return prepare


def _cookiecutter_config(path: Path, context: dict) -> Path:
    """A cookiecutter user config holding the answers.  The plain command
    cannot take a dict variable (hosting) as key=value, but its config file's
    default_context can; the replay file goes to scratch, not the home
    directory."""
    config = {
        "replay_dir": str(path.parent / "replay"),
        "cookiecutters_dir": str(path.parent / "cookiecutters"),
        "default_context": {"project_name": NAME, **context},
    }
    # JSON is valid YAML, and cookiecutter reads its config as YAML.
    path.write_text(json.dumps(config, indent=2))
    return path


def cli_start(runs: int, warmup: int, log) -> dict:
    log("1. CLI start: webdev-new --help vs django-admin --help")
    ours = Case("webdev-new --help", [harness.script("webdev-new"), "--help"])
    reference = Case("django-admin --help", [harness.script("django-admin"), "--help"])
    harness.interleave([ours, reference], runs, warmup, log)
    return {
        "cases": [ours, reference],
        "ratio": harness.ratio(ours.median, reference.median),
    }


def generation(runs: int, warmup: int, log) -> dict:
    log("2. Generation: webdev-new vs django-admin startproject vs plain cookiecutter")
    base = harness.fresh_dir(harness.WORK / "generation")
    webdev = harness.script("webdev-new")
    cookiecutter = harness.script("cookiecutter")
    configs = base / "configs"
    configs.mkdir()

    cases: list[Case] = []
    pairs: list[tuple[Case, Case]] = []
    for framework in ("django", "flask"):
        for variant, flags, context in (
            ("default", [], {}),
            ("every feature", FULL_FLAGS, FULL_CONTEXT),
        ):
            label = f"{framework}, {variant}"
            ours = Case(
                f"webdev-new ({label})",
                [webdev, NAME, "--yes", "--no-git", "--framework", framework, *flags],
                prepare=_scratch(base / f"ours-{framework}-{len(flags)}"),
            )
            config = _cookiecutter_config(
                _config_path(configs, framework, bool(flags)), context
            )
            plain = Case(
                f"cookiecutter ({label})",
                [
                    cookiecutter,
                    "--no-input",
                    "--config-file",
                    str(config),
                    str(harness.TEMPLATES / f"{framework}-starter"),
                ],
                prepare=_scratch(base / f"plain-{framework}-{len(flags)}"),
            )
            cases += [ours, plain]
            pairs.append((ours, plain))
    startproject = Case(
        "django-admin startproject",
        [harness.script("django-admin"), "startproject", NAME],
        prepare=_scratch(base / "startproject"),
    )
    cases.append(startproject)
    harness.interleave(cases, runs, warmup, log)
    shutil.rmtree(base, ignore_errors=True)
    return {"pairs": pairs, "startproject": startproject}


def _config_path(configs: Path, framework: str, full: bool) -> Path:
    folder = configs / f"{framework}-{'full' if full else 'default'}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "config.yaml"


def _profile_file(framework: str) -> Path:
    """Run ``webdev-new NAME --yes --no-git`` under cProfile; its stats file."""
    base = harness.fresh_dir(harness.WORK / "generation-profile")
    out = base / "generation.prof"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cProfile",
            "-o",
            str(out),
            harness.script("webdev-new"),
            NAME,
            "--yes",
            "--no-git",
            "--framework",
            framework,
        ],
        cwd=base,
        env=environment.clean_env(bytecode=True),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=True,
    )
    return out


def _short_filename(filename: str) -> str:
    """A profiled function's file, relative to where it was installed."""
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1]
    if str(harness.ROOT) in filename:
        return filename.replace(str(harness.ROOT) + "/", "")
    if "/lib/python3" in filename:
        return filename.split("/lib/", 1)[1]
    return filename


def _top_functions(prof: Path, top: int) -> list[tuple[str, float]]:
    """The functions of ``prof`` with the largest cumulative share, imports
    counted as one row, a wrapper folded into its callee."""
    import pstats

    stats = pstats.Stats(str(prof)).stats  # type: ignore[attr-defined]
    total = max(entry[3] for entry in stats.values())
    rows: list[tuple[str, float]] = []
    for (filename, _line, func), entry in sorted(
        stats.items(), key=lambda item: item[1][3], reverse=True
    ):
        share = entry[3] / total
        if share > 0.97:
            continue  # the script's own entry points
        if filename.startswith("<frozen importlib"):
            if func != "_find_and_load":
                continue
            rows.append(("all imports (modules loaded during the run)", share))
            continue
        filename = _short_filename(filename)
        name = f"{func} ({filename})" if filename != "~" else func
        last = rows[-1] if rows else None
        if last and not last[0].startswith("all imports") and last[1] - share < 0.005:
            rows[-1] = (name, share)  # a wrapper and its callee: keep the callee
        else:
            rows.append((name, share))
        if len(rows) >= top:
            break
    return rows


def profile_generation(
    framework: str = "django", top: int = 15
) -> list[tuple[str, float]]:
    """One ``webdev-new NAME --yes --no-git`` under cProfile: the functions
    with the largest cumulative share of its time (wall time, including the
    subprocesses it waits for)."""
    return _top_functions(_profile_file(framework), top)


def lifecycle(runs: int, warmup: int, log) -> dict:
    """Section 2b: ``webdev-new update`` with nothing to do and ``webdev-new
    add celery`` on the default project, each against generating that project
    (with its git repository, which both need), in the same rounds."""
    log("2b. Update: update (nothing to do) and add celery vs generation")
    base = harness.fresh_dir(harness.WORK / "lifecycle")
    webdev = harness.script("webdev-new")
    pristine = base / "pristine"
    pristine.mkdir()
    subprocess.run(
        [webdev, NAME, "--yes"],
        cwd=pristine,
        env=environment.clean_env(bytecode=True),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=True,
    )
    project = pristine / NAME

    def copy(index: int) -> Path:
        """A fresh copy of the generated repository (not timed)."""
        target = harness.fresh_dir(base / "add" / str(index)) / NAME
        shutil.copytree(project, target, symlinks=True)
        return target

    generate = Case(
        "webdev-new NAME --yes (django, default, with git)",
        [webdev, NAME, "--yes"],
        prepare=_scratch(base / "generate"),
    )
    update = Case(
        "webdev-new update (nothing to do)",
        [webdev, "update"],
        prepare=lambda index: project,
    )
    add = Case("webdev-new add celery", [webdev, "add", "celery"], prepare=copy)
    harness.interleave([generate, update, add], runs, warmup, log)
    shutil.rmtree(base, ignore_errors=True)
    return {"generate": generate, "update": update, "add": add}
