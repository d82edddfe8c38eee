"""The templates agree with the catalogue and stay usable with plain cookiecutter."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from clitools import ROOT, run

from generator.catalogue import BY_KEY, FEATURES, FRAMEWORKS

TEMPLATES = ROOT / "templates"


def template(framework: str) -> Path:
    return TEMPLATES / f"{framework}-starter"


def config(framework: str) -> dict:
    return json.loads((template(framework) / "cookiecutter.json").read_text())


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_cookiecutter_json_matches_the_catalogue(framework):
    data = config(framework)
    for feature in FEATURES:
        if feature.key == "framework":
            assert feature.key not in data
            continue
        value = data[feature.key]
        if feature.kind == "bool":
            assert value is feature.default, feature.key
        elif feature.kind == "multi":
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
    rules = config(framework)["_manifest"]
    assert rules, "the manifest is empty"
    for rule in rules:
        for key, want in rule["when"].items():
            feature = BY_KEY[key.split(".")[0]]
            values = want if isinstance(want, list) else [want]
            if feature.kind == "multi":
                target = key.split(".")[1]
                assert target in feature.choices, key
                assert all(isinstance(v, bool) for v in values), key
            else:
                assert set(values) <= set(feature.values_for(framework)), key
        for pattern in rule["paths"]:
            source = pattern.replace("{project_slug}", "{{cookiecutter.project_slug}}")
            assert (project / source).exists(), f"{pattern} is not in the template"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_hooks_are_the_shared_hook(framework):
    hook = template(framework) / "hooks" / "post_gen_project.py"
    assert hook.resolve() == (TEMPLATES / "_shared" / "post_gen_project.py").resolve()


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
