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

from generator import catalogue
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
CROSSED_KEYS = [k for k in CODE_KEYS if BY_KEY[k].crossed]


def frozen(answers, keys=CROSSED_KEYS):
    return tuple(sorted((k, answers[k]) for k in keys))


def valid_combinations(framework, keys):
    """Every valid combination of ``keys`` (the others at their defaults),
    found by brute force over every value, not by the catalogue's helpers."""
    found = []
    options = (catalogue.BY_KEY[k].choices or (True, False) for k in keys)
    for combo in itertools.product(*options):
        answers = {
            **complete({"framework": framework}),
            **dict(zip(keys, combo, strict=True)),
        }
        if is_valid(answers):
            found.append(answers)
    return found


def pairs_held(answers, code, paired):
    return {
        (a, answers[a], b, answers[b])
        for a, b in itertools.combinations(code, 2)
        if a in paired or b in paired
    }


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_code_matrix_is_every_valid_combination_once(framework):
    """Every valid combination of the crossed questions, each once."""
    matrix = [frozen(a) for a in code_matrix(framework)]
    assert len(matrix) >= len(set(matrix))
    valid = {frozen(a) for a in valid_combinations(framework, CROSSED_KEYS)}
    assert set(matrix) == valid
    paired = [k for k in CODE_KEYS if k not in CROSSED_KEYS]
    if not paired:
        assert len(matrix) == len(valid)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_paired_questions_meet_every_value_of_every_other(framework):
    """Each value of a paired question meets every value of every other
    code question in some combination, for every pair a valid combination
    can hold; the real catalogue's paired questions and two made-up ones
    (one with three values) are checked."""
    extra = (
        Feature("probe", "Probe?", "", Kind.BOOL, default=False, crossed=False),
        Feature(
            "flavour",
            "Flavour",
            "",
            Kind.CHOICE,
            default="a",
            choices=("a", "b", "c"),
            crossed=False,
        ),
    )
    features = FEATURES + extra
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(catalogue, "FEATURES", features)
        patch.setattr(catalogue, "BY_KEY", {f.key: f for f in features})
        asked = [f for f in features if f.asked_for(framework)]
        code = [f.key for f in asked if f.changes_code and f.key != "framework"]
        paired = [f.key for f in asked if f.changes_code and not f.crossed]
        everything = valid_combinations(framework, code)
        matrix = list(code_matrix(framework))
    wanted = set().union(*(pairs_held(a, code, paired) for a in everything))
    met = set().union(*(pairs_held(a, code, paired) for a in matrix))
    assert wanted <= met, sorted(wanted - met)[:5]
    crossed = [k for k in code if k not in paired]
    assert {frozen(a, crossed) for a in matrix} == {
        frozen(a, crossed) for a in everything
    }
    # Pairing, not crossing: far fewer than every combination.
    assert len(matrix) < len(everything) / 3, (len(matrix), len(everything))


def test_a_question_of_one_framework_is_not_part_of_the_others_answers():
    """Flask projects have no Django release: not filled in, not in the
    matrix, refused when given; Django projects get one, default 5.2."""
    release = BY_KEY["django_version"]
    assert release.frameworks == ("django",)
    assert not release.asked_for("flask")
    assert "django_version" not in complete({"framework": "flask"})
    assert complete({})["django_version"] == "5.2"
    assert all("django_version" not in a for a in code_matrix("flask"))
    assert {a["django_version"] for a in code_matrix("django")} == {"5.2", "6.0"}
    with pytest.raises(AnswerError, match="django_version is only asked with django"):
        complete({"framework": "flask", "django_version": "6.0"})
    with pytest.raises(AnswerError, match="is not one of: 5.2, 6.0"):
        complete({"django_version": BY_KEY["django_version"].parse("7.0")})
    assert release.flag == "--django-version"


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
