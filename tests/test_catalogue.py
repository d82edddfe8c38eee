"""The matrices the other tests use really cover what they claim to."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.catalogue import (
    BY_KEY,
    FEATURES,
    FRAMEWORKS,
    AnswerError,
    Constraint,
    Feature,
    Kind,
    UnknownKey,
    code_matrix,
    complete,
    file_matrix,
    is_valid,
    offered_values,
)

REPO = Path(__file__).resolve().parent.parent
CODE_KEYS = [f.key for f in FEATURES if f.changes_code and f.key != "framework"]


def frozen(answers):
    return tuple(sorted((k, answers[k]) for k in CODE_KEYS))


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_code_matrix_is_every_valid_combination_once(framework):
    matrix = [frozen(a) for a in code_matrix(framework)]
    assert len(matrix) == len(set(matrix))
    everything = itertools.product(
        *(BY_KEY[k].choices or (True, False) for k in CODE_KEYS)
    )
    valid = set()
    for combo in everything:
        answers = {
            **complete({"framework": framework}),
            **dict(zip(CODE_KEYS, combo, strict=True)),
        }
        if is_valid(answers):
            valid.add(frozen(answers))
    assert set(matrix) == valid


def test_flask_constraints_shape_the_matrix():
    flask = list(code_matrix("flask"))
    assert all(
        not a["auth"] and not a["admin"] for a in flask if a["database"] == "none"
    )
    assert all(a["auth"] for a in flask if a["admin"])
    assert not any(a["database"] == "none" for a in code_matrix("django"))


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_file_matrix_meets_every_file_value_with_every_database(framework):
    combos = list(file_matrix(framework))
    for feature in (f for f in FEATURES if not f.changes_code):
        for database in BY_KEY["database"].values_for(framework):
            given = {"framework": framework, "database": database}
            for value in offered_values(feature, given):
                assert any(
                    a["database"] == database
                    and (
                        value in a[feature.key]
                        if feature.kind == "multi"
                        else a[feature.key] == value
                    )
                    for a in combos
                ), (feature.key, value, database)


def test_offered_values_hide_impossible_choices():
    auth = BY_KEY["auth"]
    assert offered_values(auth, {"framework": "flask", "database": "none"}) == (False,)
    assert offered_values(auth, {"framework": "flask", "database": "sqlite"}) == (
        True,
        False,
    )
    database = BY_KEY["database"]
    assert "none" not in offered_values(database, {"framework": "django"})
    assert "none" in offered_values(database, {"framework": "flask"})


def test_explicit_incompatible_answers_are_errors_not_fixed():
    with pytest.raises(AnswerError, match="Flask admin needs auth"):
        complete({"framework": "flask", "auth": False, "admin": True})
    # An unanswered question takes the value the rules allow instead.
    assert complete({"framework": "flask", "auth": False})["admin"] is False


@pytest.mark.parametrize("framework", ["django", "flask"])
def test_sqlite_is_not_offered_for_hosts_that_replace_their_disk(framework):
    hosting = BY_KEY["hosting"]
    given = {"framework": framework, "database": "sqlite"}
    assert offered_values(hosting, given) == ("docker",)
    with pytest.raises(AnswerError, match="SQLite keeps its data"):
        complete({**given, "hosting": ("docker", "fly")})
    # Not asked for: the database follows the host.
    assert complete({"framework": framework, "hosting": ("render",)})["database"] == (
        "postgresql"
    )


@pytest.mark.parametrize(
    ("when", "needs"),
    [
        ({"atuh": True}, {"database": ["sqlite"]}),  # a misspelt question
        ({"auth": True}, {"databse": ["sqlite"]}),
        ({"database": "sqlit"}, {"auth": False}),  # a value no question has
        ({"database": "sqlite"}, {"hosting.flyy": False}),  # not a choice
        ({"auth.docker": True}, {"admin": False}),  # auth has no choices
    ],
)
def test_a_rule_naming_an_unknown_key_is_refused(when, needs):
    with pytest.raises(UnknownKey):
        Constraint(message="a rule", when=when, needs=needs)


def test_a_misspelt_template_rule_stops_the_import(tmp_path):
    """The templates' rules are read when the catalogue is imported: a rule
    that names an unknown question fails there, instead of never applying."""
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    config = templates / "flask-starter" / "cookiecutter.json"
    data = json.loads(config.read_text())
    data["_rules"][0]["when"] = {"atuh": True}
    config.write_text(json.dumps(data))
    result = subprocess.run(
        [sys.executable, "-c", "import generator.catalogue"],
        env={**os.environ, "WEBDEV_NEW_TEMPLATES": str(templates)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "UnknownKey: rule 'Flask auth needs a database" in result.stderr
    assert "'atuh', which is not a question" in result.stderr


def test_kind_is_a_checked_type():
    assert {f.kind for f in FEATURES} <= set(Kind)
    with pytest.raises(TypeError, match="kind must be a Kind"):
        Feature(key="x", prompt="X?", help="", kind="bool", default=True)
