"""The feature catalogue: every question webdev-new asks, as data.

The wizard, the command-line flags, ``--list-features``, answer validation and
the test matrix all read this module.  Nothing else restates a choice or a
default.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

FRAMEWORKS = ("django", "flask")

Answers = dict[str, Any]


@dataclass(frozen=True)
class Feature:
    """One question.

    ``kind`` is ``choice`` (one of ``choices``), ``bool`` (yes/no) or ``multi``
    (any subset of ``choices``).  ``frameworks`` limits where a choice value is
    offered: ``{"none": ("flask",)}`` means the value ``none`` exists only for
    Flask.  ``changes_code`` is False for questions that only add files; the
    test matrix crosses every code-changing question and only covers the
    others.
    """

    key: str
    prompt: str
    help: str
    kind: str
    default: Any
    choices: tuple[str, ...] = ()
    value_frameworks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    changes_code: bool = True

    def values_for(self, framework: str) -> tuple[Any, ...]:
        """The values this question can take for ``framework``."""
        if self.kind == "bool":
            return (True, False)
        return tuple(
            value
            for value in self.choices
            if framework in self.value_frameworks.get(value, FRAMEWORKS)
        )


@dataclass(frozen=True)
class Constraint:
    """A rule between answers: when ``applies`` holds, ``holds`` must too."""

    message: str
    applies: Callable[[Answers], bool]
    holds: Callable[[Answers], bool]
    # The answer to force when the rule would be broken and the user gave no
    # explicit value for it (e.g. Flask without a database gets no auth).
    fix: tuple[str, Any] | None = None


FEATURES: tuple[Feature, ...] = (
    Feature(
        key="framework",
        prompt="Web framework",
        help="Django (batteries included) or Flask (small core plus extensions).",
        kind="choice",
        default="django",
        choices=FRAMEWORKS,
    ),
    Feature(
        key="database",
        prompt="Database",
        help="SQLite needs no server; PostgreSQL and MySQL/MariaDB read DATABASE_URL.",
        kind="choice",
        default="sqlite",
        choices=("sqlite", "postgresql", "mysql", "none"),
        value_frameworks={"none": ("flask",)},
    ),
    Feature(
        key="auth",
        prompt="User accounts (sign up, log in, log out, password change)?",
        help="Account pages with a user model; Flask needs a database for it.",
        kind="bool",
        default=True,
    ),
    Feature(
        key="admin",
        prompt="Admin site?",
        help="Django admin, or Flask-Admin open to admin users only (needs auth).",
        kind="bool",
        default=True,
    ),
    Feature(
        key="i18n",
        prompt="Translations (a second language with a switcher)?",
        help="English plus French, with a compiled catalog and a language switcher.",
        kind="bool",
        default=False,
    ),
    Feature(
        key="tasks",
        prompt="Background tasks",
        help="Celery with a Redis broker, a worker process and an example task.",
        kind="choice",
        default="none",
        choices=("none", "celery"),
    ),
    Feature(
        key="hosting",
        prompt="Hosting targets",
        help="Deployment files for each chosen target.",
        kind="multi",
        default=("docker",),
        choices=("docker", "heroku", "render", "fly"),
        changes_code=False,
    ),
    Feature(
        key="ci",
        prompt="Continuous integration",
        help="A workflow that runs the project's lint and tests.",
        kind="choice",
        default="github",
        choices=("github", "gitlab", "none"),
        changes_code=False,
    ),
)

BY_KEY: dict[str, Feature] = {feature.key: feature for feature in FEATURES}

#: Hosts whose disk is replaced on every deploy and whose release command runs
#: on a machine of its own: a SQLite file there is lost, or never migrated.
EPHEMERAL_HOSTS = ("heroku", "render", "fly")

CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        message="database 'none' is only available with Flask",
        applies=lambda a: a["database"] == "none",
        holds=lambda a: a["framework"] == "flask",
    ),
    Constraint(
        message="Flask auth needs a database (choose sqlite, postgresql or mysql)",
        applies=lambda a: a["framework"] == "flask" and a["auth"],
        holds=lambda a: a["database"] != "none",
        fix=("auth", False),
    ),
    Constraint(
        message=(
            "SQLite keeps its data on the server's own disk, which heroku, render"
            " and fly replace on every deploy while their release step migrates"
            " another machine: choose postgresql or mysql, or host with docker"
        ),
        applies=lambda a: a["database"] == "sqlite",
        holds=lambda a: not set(a["hosting"]) & set(EPHEMERAL_HOSTS),
        fix=("database", "postgresql"),
    ),
    Constraint(
        message="Flask admin needs auth (only admin users may enter it)",
        applies=lambda a: a["framework"] == "flask" and a["admin"],
        holds=lambda a: a["auth"],
        fix=("admin", False),
    ),
)


class AnswerError(ValueError):
    """An answer that is unknown, malformed or incompatible with another."""


def parse_value(feature: Feature, raw: Any) -> Any:
    """Turn a raw answer (from a flag, a file or the wizard) into its value."""
    allowed = ", ".join(feature.choices) if feature.choices else "yes, no"
    if feature.kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("yes", "y", "true", "1", "on"):
            return True
        if text in ("no", "n", "false", "0", "off"):
            return False
        raise AnswerError(f"{feature.key}: {raw!r} is not one of: {allowed}")
    if feature.kind == "multi":
        items = raw.split(",") if isinstance(raw, str) else raw
        if not isinstance(items, (list, tuple)):
            raise AnswerError(f"{feature.key}: expected a list of: {allowed}")
        values = [str(item).strip().lower() for item in items if str(item).strip()]
        for value in values:
            if value not in feature.choices:
                raise AnswerError(f"{feature.key}: {value!r} is not one of: {allowed}")
        # Keep the catalogue's order so equal choices give equal answers.
        return tuple(choice for choice in feature.choices if choice in values)
    value = str(raw).strip().lower()
    if value not in feature.choices:
        raise AnswerError(f"{feature.key}: {raw!r} is not one of: {allowed}")
    return value


def parse_answers(raw: Mapping[str, Any], source: str) -> Answers:
    """Check and convert a mapping of raw answers; unknown keys are errors."""
    answers: Answers = {}
    for key, value in raw.items():
        if key not in BY_KEY:
            known = ", ".join(BY_KEY)
            raise AnswerError(f"{source}: unknown question {key!r} (known: {known})")
        answers[key] = parse_value(BY_KEY[key], value)
    return answers


def offered_values(feature: Feature, answers: Answers) -> tuple[Any, ...]:
    """The values still possible for ``feature`` given earlier ``answers``.

    The wizard offers only these, so the user never picks an impossible
    combination.
    """
    framework = answers.get("framework", BY_KEY["framework"].default)
    values = feature.values_for(framework)
    possible = []
    for value in values:
        # A multiple choice is tried one value at a time, as a selection of one.
        trial = {**answers, feature.key: (value,) if feature.kind == "multi" else value}
        if not any(
            c.applies(trial) and not c.holds(trial)
            for c in CONSTRAINTS
            if _decided(c, trial)
        ):
            possible.append(value)
    return tuple(possible)


def _decided(constraint: Constraint, answers: Answers) -> bool:
    """True when every answer ``constraint`` reads is present."""
    try:
        constraint.applies(answers)
        constraint.holds(answers)
    except KeyError:
        return False
    return True


def complete(given: Answers) -> Answers:
    """Fill unanswered questions with defaults and check every constraint.

    A default that would break a rule is replaced by the rule's ``fix`` (Flask
    with no database gets no auth and no admin); an explicit answer that
    breaks one is an error.
    """
    answers = {f.key: given.get(f.key, f.default) for f in FEATURES}
    for rule in CONSTRAINTS:  # in order: a fix may break a later rule
        broken = rule.applies(answers) and not rule.holds(answers)
        if broken and rule.fix and rule.fix[0] not in given:
            answers[rule.fix[0]] = rule.fix[1]
    validate(answers)
    return answers


def validate(answers: Answers) -> None:
    """Raise AnswerError naming the first broken rule."""
    framework = answers["framework"]
    for feature in FEATURES:
        value = answers[feature.key]
        allowed = feature.values_for(framework)
        values = value if feature.kind == "multi" else (value,)
        for item in values:
            if item not in allowed:
                names = ", ".join(str(v) for v in allowed)
                raise AnswerError(
                    f"{feature.key}: {item!r} is not available with {framework}"
                    f" (choose one of: {names})"
                )
    for constraint in CONSTRAINTS:
        if constraint.applies(answers) and not constraint.holds(answers):
            raise AnswerError(constraint.message)


def is_valid(answers: Answers) -> bool:
    try:
        validate(answers)
    except AnswerError:
        return False
    return True


def code_matrix(framework: str) -> Iterator[Answers]:
    """Every valid combination of the code-changing questions for a framework.

    File-only questions (hosting, ci) keep their defaults here; see
    ``file_matrix`` for how those are covered.
    """
    keys = [f.key for f in FEATURES if f.changes_code and f.key != "framework"]
    options = [BY_KEY[k].values_for(framework) for k in keys]
    for combo in itertools.product(*options):
        try:
            yield complete(
                {"framework": framework, **dict(zip(keys, combo, strict=True))}
            )
        except AnswerError:
            continue


def file_matrix(framework: str) -> Iterator[Answers]:
    """Combinations in which every value of each file-only question appears
    with every database of ``framework`` at least once."""
    file_features = [f for f in FEATURES if not f.changes_code]
    for database in BY_KEY["database"].values_for(framework):
        widest = max(
            len(f.values_for(framework)) for f in file_features if f.kind != "multi"
        )
        for i in range(widest):
            given: Answers = {"framework": framework, "database": database}
            for feature in file_features:
                values = feature.values_for(framework)
                if feature.kind == "multi":
                    # Every target the database allows, at once: each one
                    # meets every database it can be used with.
                    given[feature.key] = offered_values(feature, given)
                else:
                    given[feature.key] = values[i % len(values)]
            yield complete(given)


# --------------------------------------------------------------------------
# Feature words: what ``webdev-new add WORD`` and ``remove WORD`` change


@dataclass(frozen=True)
class Word:
    """A feature name for ``add`` and ``remove``, and the answer it changes.

    For a yes/no or one-of question, ``add`` sets ``key`` to ``added`` and
    ``remove`` sets it to ``removed``; ``removed`` is None when the word cannot
    be removed on its own (a project always has a database: add another one
    instead).  For a question with several values (hosting), the word is one
    of them and ``add``/``remove`` put it in or take it out.
    """

    word: str
    key: str
    added: Any
    removed: Any = None


WORDS: tuple[Word, ...] = (
    Word("auth", "auth", added=True, removed=False),
    Word("admin", "admin", added=True, removed=False),
    Word("i18n", "i18n", added=True, removed=False),
    Word("celery", "tasks", added="celery", removed="none"),
    Word("docker", "hosting", added="docker"),
    Word("heroku", "hosting", added="heroku"),
    Word("render", "hosting", added="render"),
    Word("fly", "hosting", added="fly"),
    Word("github", "ci", added="github", removed="none"),
    Word("gitlab", "ci", added="gitlab", removed="none"),
    Word("sqlite", "database", added="sqlite"),
    Word("postgresql", "database", added="postgresql"),
    Word("mysql", "database", added="mysql"),
)

BY_WORD: dict[str, Word] = {word.word: word for word in WORDS}


def with_word(answers: Answers, name: str, *, add: bool) -> Answers:
    """``answers`` after ``add NAME`` (or ``remove NAME``), checked by the same
    rules as generation.  Raises AnswerError when the word is unknown, already
    (or not) there, cannot be removed, or breaks a rule."""
    word = BY_WORD.get(name.strip().lower())
    if word is None:
        known = ", ".join(BY_WORD)
        raise AnswerError(f"unknown feature {name!r} (known: {known})")
    feature = BY_KEY[word.key]
    current = answers[word.key]
    changed = dict(answers)
    if feature.kind == "multi":
        present = word.added in current
        if add == present:
            state = "already has" if add else "does not have"
            raise AnswerError(f"the project {state} {word.word} ({word.key})")
        wanted = set(current) ^ {word.added}
        changed[word.key] = tuple(c for c in feature.choices if c in wanted)
    elif add:
        if current == word.added:
            raise AnswerError(f"the project already has {word.word} ({word.key})")
        changed[word.key] = word.added
    else:
        if word.removed is None:
            raise AnswerError(
                f"{word.word} cannot be removed on its own: choose another "
                f"{word.key} with 'add' (one of: {', '.join(feature.choices)})"
            )
        if current != word.added:
            raise AnswerError(f"the project does not have {word.word} ({word.key})")
        changed[word.key] = word.removed
    validate(changed)
    return changed
