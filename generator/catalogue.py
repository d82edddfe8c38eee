"""The feature catalogue: every question webdev-new asks, as data.

The wizard, the command-line flags, ``--list-features``, answer validation and
the test matrix all read this module.  Nothing else restates a choice or a
default.  The rules between answers come from the templates (``_rules`` in
each ``cookiecutter.json``, read by ``rules``), so plain cookiecutter applies
the same ones; only a rule that no single template can state lives here.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import rules

FRAMEWORKS = ("django", "flask")

Answers = dict[str, Any]


class AnswerError(ValueError):
    """An answer that is unknown, malformed or incompatible with another."""


class Kind(enum.StrEnum):
    """How a question is answered."""

    #: One of the question's ``choices``.
    CHOICE = "choice"
    #: Yes or no.
    BOOL = "bool"
    #: Any subset of the question's ``choices``, kept in the catalogue's order.
    MULTI = "multi"


@dataclass(frozen=True)
class Feature:
    """One question.

    ``kind`` says how it is answered (see ``Kind``).  ``value_frameworks``
    limits where a choice value is offered: ``{"none": ("flask",)}`` means the
    value ``none`` exists only for Flask; a question none of whose values a
    framework offers is not asked for it, and its projects hold no answer to
    it (Flask projects have no ``django_version``).  ``changes_code`` is False for
    questions that only add files; the test matrix crosses every
    code-changing question and only covers the others.  ``crossed`` is False
    for a code-changing question whose code stands beside the rest (an
    optional integration): the matrix pairs it instead of crossing it, so each
    of its values meets every value of every other code-changing question at
    least once (see ``code_matrix``).
    """

    key: str
    prompt: str
    help: str
    kind: Kind
    default: Any
    choices: tuple[str, ...] = ()
    value_frameworks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    changes_code: bool = True
    crossed: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.kind, Kind):
            raise TypeError(f"{self.key}: kind must be a Kind, not {self.kind!r}")

    @property
    def flag(self) -> str:
        """The command-line option: ``--django-version`` for ``django_version``."""
        return "--" + self.key.replace("_", "-")

    @property
    def frameworks(self) -> tuple[str, ...]:
        """The frameworks this question is asked for."""
        return tuple(fw for fw in FRAMEWORKS if self.asked_for(fw))

    def asked_for(self, framework: str) -> bool:
        """True when ``framework`` offers a value of this question."""
        return self.kind is Kind.BOOL or bool(self.values_for(framework))

    @property
    def multiple(self) -> bool:
        """True when an answer holds several values (a tuple of choices)."""
        return self.kind is Kind.MULTI

    def values_for(self, framework: str) -> tuple[Any, ...]:
        """The values this question can take for ``framework``."""
        if self.kind is Kind.BOOL:
            return (True, False)
        return tuple(
            value
            for value in self.choices
            if framework in self.value_frameworks.get(value, FRAMEWORKS)
        )

    def allowed_text(self) -> str:
        """The values, as a person would list them: ``yes, no`` or the choices."""
        if self.kind is Kind.BOOL:
            return "yes, no"
        return ", ".join(self.choices)

    def items(self, value: Any) -> tuple[Any, ...]:
        """Every value an answer holds: the tuple itself for a multiple choice."""
        return tuple(value) if self.multiple else (value,)

    def only(self, value: Any) -> Any:
        """The answer that holds just ``value`` (a selection of one for a
        multiple choice)."""
        return (value,) if self.multiple else value

    def from_plain(self, value: Any) -> Any:
        """An answer read back from JSON (a list becomes the answer's tuple)."""
        return tuple(value) if self.multiple else value

    def domain(self) -> list[Any]:
        """Every answer the question can hold (for ``multi``: every subset)."""
        if self.kind is Kind.BOOL:
            return [True, False]
        if self.multiple:
            return [
                subset
                for size in range(len(self.choices) + 1)
                for subset in itertools.combinations(self.choices, size)
            ]
        return list(self.choices)

    def wire(self, value: Any) -> Any:
        """An answer as the HTTP API spells it: ``yes``/``no``, a string, or a
        list."""
        if self.kind is Kind.BOOL:
            return "yes" if value else "no"
        if self.multiple:
            return list(value)
        return value

    def context_value(self, value: Any, template_default: Any) -> Any:
        """An answer as a template reads it: a multiple choice is a dictionary
        of booleans (``hosting.fly``), in the template's own key order."""
        if self.multiple:
            return {choice: choice in value for choice in template_default}
        return value

    def parse(self, raw: Any) -> Any:
        """Turn a raw answer (from a flag, a file or the wizard) into its value."""
        allowed = self.allowed_text()
        if self.kind is Kind.BOOL:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in ("yes", "y", "true", "1", "on"):
                return True
            if text in ("no", "n", "false", "0", "off"):
                return False
            raise AnswerError(f"{self.key}: {raw!r} is not one of: {allowed}")
        if self.multiple:
            items = raw.split(",") if isinstance(raw, str) else raw
            if not isinstance(items, (list, tuple)):
                raise AnswerError(f"{self.key}: expected a list of: {allowed}")
            values = [str(item).strip().lower() for item in items if str(item).strip()]
            for value in values:
                if value not in self.choices:
                    raise AnswerError(f"{self.key}: {value!r} is not one of: {allowed}")
            # Keep the catalogue's order so equal choices give equal answers.
            return tuple(choice for choice in self.choices if choice in values)
        value = str(raw).strip().lower()
        if value not in self.choices:
            raise AnswerError(f"{self.key}: {raw!r} is not one of: {allowed}")
        return value


FEATURES: tuple[Feature, ...] = (
    Feature(
        key="framework",
        prompt="Web framework",
        help="Django (batteries included) or Flask (small core plus extensions).",
        kind=Kind.CHOICE,
        default="django",
        choices=FRAMEWORKS,
    ),
    Feature(
        key="django_version",
        prompt="Django release",
        help="5.2 LTS (security fixes until April 2028) or 6.0 (needs Python 3.12+).",
        kind=Kind.CHOICE,
        default="5.2",
        choices=("5.2", "6.0"),
        value_frameworks={"5.2": ("django",), "6.0": ("django",)},
        crossed=False,
    ),
    Feature(
        key="database",
        prompt="Database",
        help="SQLite needs no server; PostgreSQL and MySQL/MariaDB read DATABASE_URL.",
        kind=Kind.CHOICE,
        default="sqlite",
        choices=("sqlite", "postgresql", "mysql", "none"),
        value_frameworks={"none": ("flask",)},
    ),
    Feature(
        key="auth",
        prompt="User accounts (sign up, log in, log out, password change)?",
        help="Account pages with a user model; Flask needs a database for it.",
        kind=Kind.BOOL,
        default=True,
    ),
    Feature(
        key="admin",
        prompt="Admin site?",
        help="Django admin, or Flask-Admin open to admin users only (needs auth).",
        kind=Kind.BOOL,
        default=True,
    ),
    Feature(
        key="i18n",
        prompt="Translations (a second language with a switcher)?",
        help="English plus French, with a compiled catalog and a language switcher.",
        kind=Kind.BOOL,
        default=False,
    ),
    Feature(
        key="tasks",
        prompt="Background tasks",
        help="Celery with a Redis broker, a worker process and an example task.",
        kind=Kind.CHOICE,
        default="none",
        choices=("none", "celery"),
    ),
    Feature(
        key="api",
        prompt="REST API",
        help=(
            "A JSON API under /api/ with an OpenAPI 3 document"
            " and docs served by the app."
        ),
        kind=Kind.CHOICE,
        default="none",
        choices=("none", "rest"),
        crossed=False,
    ),
    Feature(
        key="monitoring",
        prompt="Error monitoring",
        help="Sentry: unhandled errors reported to SENTRY_DSN (off while it is unset).",
        kind=Kind.CHOICE,
        default="none",
        choices=("none", "sentry"),
        crossed=False,
    ),
    Feature(
        key="hosting",
        prompt="Hosting targets",
        help="Deployment files for each chosen target.",
        kind=Kind.MULTI,
        default=("docker",),
        choices=("docker", "heroku", "render", "fly"),
        changes_code=False,
    ),
    Feature(
        key="ci",
        prompt="Continuous integration",
        help="A workflow that runs the project's lint and tests.",
        kind=Kind.CHOICE,
        default="github",
        choices=("github", "gitlab", "none"),
        changes_code=False,
    ),
)

BY_KEY: dict[str, Feature] = {feature.key: feature for feature in FEATURES}


class UnknownKey(ValueError):
    """A rule names a question, or a value, that the catalogue does not have."""


@dataclass(frozen=True)
class Constraint:
    """A rule between answers: when every condition of ``when`` holds, every
    condition of ``needs`` must hold too (conditions as in ``rules``).

    ``fix`` is the answer to force when the rule would be broken and the user
    gave no explicit value for it (Flask without a database gets no auth).
    ``reads`` is every question the rule reads, in the catalogue's order; a
    rule naming a question or value the catalogue does not have is refused
    when it is made, so a misspelt rule cannot silently never apply.
    """

    message: str
    when: Mapping[str, Any]
    needs: Mapping[str, Any]
    fix: tuple[str, Any] | None = None
    reads: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        for key, want in [*self.when.items(), *self.needs.items()]:
            _check_condition(key, want, self.message)
        if self.fix is not None:
            _check_condition(self.fix[0], self.fix[1], self.message)
        read = rules.keys_read(self.when) | rules.keys_read(self.needs)
        object.__setattr__(self, "reads", tuple(k for k in BY_KEY if k in read))

    @classmethod
    def from_data(cls, data: Mapping[str, Any], **extra_when: Any) -> Constraint:
        """A rule as a template's ``_rules`` writes it; ``extra_when`` adds
        conditions (the framework the template is for)."""
        fix = data.get("fix")
        if fix is not None and len(fix) != 1:
            raise UnknownKey(f"rule {data['message']!r}: fix sets one answer: {fix}")
        return cls(
            message=data["message"],
            when={**extra_when, **data["when"]},
            needs=dict(data["needs"]),
            fix=next(iter(fix.items())) if fix else None,
        )

    def applies(self, answers: Answers) -> bool:
        return rules.holds(self.when, answers)

    def holds(self, answers: Answers) -> bool:
        return rules.holds(self.needs, answers)

    def decided(self, answers: Answers) -> bool:
        """True when every answer the rule reads is present."""
        return all(key in answers for key in self.reads)

    def broken(self, answers: Answers) -> bool:
        return self.applies(answers) and not self.holds(answers)


def _check_condition(key: str, want: Any, rule: str) -> None:
    name, _, item = key.partition(".")
    feature = BY_KEY.get(name)
    if feature is None:
        raise UnknownKey(f"rule {rule!r} reads {name!r}, which is not a question")
    wanted = want if isinstance(want, list) else [want]
    if item:
        if not feature.multiple or item not in feature.choices:
            raise UnknownKey(f"rule {rule!r} reads {key!r}, which is not a choice")
        allowed: tuple[Any, ...] = (True, False)
    else:
        every = (v for fw in FRAMEWORKS for v in feature.values_for(fw))
        allowed = tuple(dict.fromkeys(every))
    for value in wanted:
        if value not in allowed:
            raise UnknownKey(f"rule {rule!r}: {key} is never {value!r}")


#: Rules that belong to no template: a value offered for one framework only.
CATALOGUE_RULES: tuple[Constraint, ...] = (
    Constraint(
        message="database 'none' is only available with Flask",
        when={"database": "none"},
        needs={"framework": "flask"},
    ),
)


def template_rules() -> tuple[Constraint, ...]:
    """The rules every template ships (``_rules`` in its cookiecutter.json).

    A template's rules hold for its own framework; a rule that every template
    ships alike holds for all of them.  Each template's order is kept (a
    ``fix`` may break a later rule, so ``complete`` applies them in order).
    """
    try:
        shipped = {fw: rules.template_config(fw).get("_rules", []) for fw in FRAMEWORKS}
    except (OSError, ValueError) as exc:
        # Nothing can be checked, or generated, without the templates: one
        # line, not a traceback (WEBDEV_NEW_TEMPLATES may point elsewhere).
        raise SystemExit(
            f"webdev-new: error: no usable templates at {rules.templates_root()}: {exc}"
        ) from exc
    merged: list[Mapping[str, Any]] = []
    for framework in FRAMEWORKS:
        place = 0
        for rule in shipped[framework]:
            if rule in merged:
                place = merged.index(rule) + 1
            else:
                merged.insert(place, rule)
                place += 1
    return tuple(
        Constraint.from_data(rule)
        if all(rule in shipped[fw] for fw in FRAMEWORKS)
        else Constraint.from_data(
            rule, framework=[fw for fw in FRAMEWORKS if rule in shipped[fw]]
        )
        for rule in merged
    )


CONSTRAINTS: tuple[Constraint, ...] = CATALOGUE_RULES + template_rules()


def parse_value(feature: Feature, raw: Any) -> Any:
    """Turn a raw answer (from a flag, a file or the wizard) into its value."""
    return feature.parse(raw)


def parse_answers(raw: Mapping[str, Any], source: str) -> Answers:
    """Check and convert a mapping of raw answers; unknown keys are errors."""
    answers: Answers = {}
    for key, value in raw.items():
        if key not in BY_KEY:
            known = ", ".join(BY_KEY)
            raise AnswerError(f"{source}: unknown question {key!r} (known: {known})")
        answers[key] = BY_KEY[key].parse(value)
    return answers


def offered_values(feature: Feature, answers: Answers) -> tuple[Any, ...]:
    """The values still possible for ``feature`` given earlier ``answers``.

    The wizard offers only these, so the user never picks an impossible
    combination.  A rule that reads a question not answered yet does not
    count.
    """
    framework = answers.get("framework", BY_KEY["framework"].default)
    possible = []
    for value in feature.values_for(framework):
        # A multiple choice is tried one value at a time, as a selection of one.
        trial = {**answers, feature.key: feature.only(value)}
        if not any(c.broken(trial) for c in CONSTRAINTS if c.decided(trial)):
            possible.append(value)
    return tuple(possible)


def complete(given: Answers) -> Answers:
    """Fill unanswered questions with defaults and check every constraint.

    A default that would break a rule is replaced by the rule's ``fix`` (Flask
    with no database gets no auth and no admin); an explicit answer that
    breaks one is an error.
    """
    framework = given.get("framework", BY_KEY["framework"].default)
    answers = {
        f.key: given.get(f.key, f.default)
        for f in FEATURES
        if f.key in given or f.asked_for(framework)
    }
    for rule in CONSTRAINTS:  # in order: a fix may break a later rule
        if rule.broken(answers) and rule.fix and rule.fix[0] not in given:
            answers[rule.fix[0]] = rule.fix[1]
    validate(answers)
    return answers


def validate(answers: Answers) -> None:
    """Raise AnswerError naming the first broken rule."""
    framework = answers["framework"]
    for feature in FEATURES:
        if not feature.asked_for(framework):
            if feature.key in answers:
                only = ", ".join(feature.frameworks)
                raise AnswerError(
                    f"{feature.key} is only asked with {only}, not with {framework}"
                )
            continue
        if feature.key not in answers:
            raise AnswerError(f"{feature.key}: no answer")
        allowed = feature.values_for(framework)
        for item in feature.items(answers[feature.key]):
            if item not in allowed:
                names = ", ".join(str(v) for v in allowed)
                raise AnswerError(
                    f"{feature.key}: {item!r} is not available with {framework}"
                    f" (choose one of: {names})"
                )
    for constraint in CONSTRAINTS:
        if constraint.broken(answers):
            raise AnswerError(constraint.message)


def is_valid(answers: Answers) -> bool:
    try:
        validate(answers)
    except AnswerError:
        return False
    return True


def code_matrix(framework: str) -> Iterator[Answers]:
    """The combinations of the code-changing questions the tests build for a
    framework.

    Every valid combination of the crossed questions appears, each once, with
    the paired questions (``crossed=False``) chosen so that every value of a
    paired question meets every value of each other code-changing question in
    at least one combination (every pair some valid combination holds).  With
    no paired question this is every valid combination once.  File-only
    questions (hosting, ci) keep their defaults here; see ``file_matrix``.
    """
    code = [
        f.key
        for f in FEATURES
        if f.changes_code and f.key != "framework" and f.asked_for(framework)
    ]
    paired = [key for key in code if not BY_KEY[key].crossed]
    every = list(_valid_combinations(framework, code))
    if not paired:
        yield from every
        return
    wanted = set().union(*(_pairs(a, code, paired) for a in every))
    by_base: dict[tuple[Any, ...], list[Answers]] = {}
    for answers in every:
        base = tuple(answers[k] for k in code if k not in paired)
        by_base.setdefault(base, []).append(answers)
    # One combination per crossed part: the one that meets the most pairs not
    # met yet (the first, with the defaults, on a tie); then extra
    # combinations while pairs are left.

    def take(options: list[Answers]) -> Answers:
        best = max(options, key=lambda a: len(_pairs(a, code, paired) & wanted))
        wanted.difference_update(_pairs(best, code, paired))
        return best

    for options in by_base.values():
        yield take(options)
    while wanted:
        yield take(every)


def _valid_combinations(framework: str, keys: list[str]) -> Iterator[Answers]:
    """Every valid combination of ``keys`` for ``framework`` (the other
    questions at their defaults, or the value a rule forces)."""
    options = [BY_KEY[k].values_for(framework) for k in keys]
    for combo in itertools.product(*options):
        try:
            yield complete(
                {"framework": framework, **dict(zip(keys, combo, strict=True))}
            )
        except AnswerError:
            continue


def _pairs(answers: Answers, code: list[str], paired: list[str]) -> set[Any]:
    """The pairs of answers (question, value, question, value) in ``answers``
    that involve a paired question, each pair once."""
    return {
        (key, answers[key], other, answers[other])
        for i, key in enumerate(code)
        for other in code[i + 1 :]
        if key in paired or other in paired
    }


def file_matrix(framework: str) -> Iterator[Answers]:
    """Combinations in which every value of each file-only question appears
    with every database of ``framework`` at least once."""
    file_features = [f for f in FEATURES if not f.changes_code]
    for database in BY_KEY["database"].values_for(framework):
        widest = max(
            len(f.values_for(framework)) for f in file_features if not f.multiple
        )
        for i in range(widest):
            given: Answers = {"framework": framework, "database": database}
            for feature in file_features:
                values = feature.values_for(framework)
                if feature.multiple:
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
    Word("api", "api", added="rest", removed="none"),
    Word("sentry", "monitoring", added="sentry", removed="none"),
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
    if feature.multiple:
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
