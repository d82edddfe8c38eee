"""The matrices the other tests use really cover what they claim to."""

from __future__ import annotations

import itertools

import pytest

from generator.catalogue import (
    BY_KEY,
    FEATURES,
    FRAMEWORKS,
    AnswerError,
    code_matrix,
    complete,
    file_matrix,
    is_valid,
    offered_values,
)

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
