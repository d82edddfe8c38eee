"""Which answers to test, computed from the feature catalogue (never listed by
hand), a readable id for each, and the flags that give them."""

from __future__ import annotations

from typing import Any

from generator.catalogue import (
    BY_KEY,
    FEATURES,
    AnswerError,
    Answers,
    code_matrix,
    complete,
    file_matrix,
    offered_values,
)

ALL_HOSTING = BY_KEY["hosting"].choices


def combo_id(answers: Answers) -> str:
    """A short readable id: ``flask-postgresql-auth-admin-i18n-celery``."""
    parts = [answers["framework"], answers["database"]]
    for key in ("auth", "admin", "i18n"):
        parts.append(key if answers[key] else f"no{key}")
    parts.append(answers["tasks"])
    # A paired question (see code_matrix) shows only when off its default.
    for feature in FEATURES:
        if feature.changes_code and not feature.crossed:
            value = answers.get(feature.key, feature.default)
            if value != feature.default:
                parts.append(f"{feature.key}-{value}")
    if tuple(answers["hosting"]) != ALL_HOSTING:
        parts.append("+".join(answers["hosting"]) or "nohosting")
    parts.append(f"ci-{answers['ci']}")
    return "-".join(parts)


def code_combinations(framework: str) -> list[Answers]:
    """Every combination of the code-changing options, with every hosting target
    its database allows chosen, so each combination's deployment files are
    checked too."""
    hosting = BY_KEY["hosting"]
    return [
        {**a, "hosting": offered_values(hosting, a)} for a in code_matrix(framework)
    ]


def file_combinations(framework: str) -> list[Answers]:
    return list(file_matrix(framework))


def default_answers(framework: str, **overrides: Any) -> Answers:
    """The defaults a user gets (every project has a Procfile), with ``overrides``."""
    given = {"framework": framework, **overrides}
    return complete(given)


#: The paired questions' values that turn their code on (see code_matrix).
PAIRED_ON = {"api": "rest", "monitoring": "sentry"}


def widest(framework: str, database: str, **files: Any) -> Answers:
    """The valid combination of ``framework`` and ``database`` with the most
    code features on (celery, i18n, auth, admin, then the REST API and
    monitoring where the rules allow them), the framework's default release,
    and the file-only answers ``files``: its CI file has the most services and
    its host the most processes, and its own tests exercise the most code."""
    candidates = [a for a in code_matrix(framework) if a["database"] == database]
    best = max(
        candidates,
        key=lambda a: (
            sum(bool(a[k]) for k in ("auth", "admin", "i18n")) + (a["tasks"] != "none")
        ),
    )
    crossed = {k: v for k, v in best.items() if BY_KEY[k].crossed}
    for key, value in PAIRED_ON.items():
        try:
            complete({**crossed, key: value})
        except AnswerError:
            continue  # a rule forbids it here (the API without accounts)
        crossed[key] = value
    return complete({**crossed, **files})


def framework_databases() -> list[tuple[str, str]]:
    """Every framework x database pair the catalogue allows."""
    return [
        (framework, database)
        for framework in BY_KEY["framework"].choices
        for database in BY_KEY["database"].values_for(framework)
    ]


def cli_args(answers: Answers) -> list[str]:
    """The ``webdev-new`` flags that give exactly ``answers``."""
    args = []
    for feature in FEATURES:
        if feature.key not in answers:
            continue  # not asked for this framework
        value = answers[feature.key]
        if feature.kind == "bool":
            args.append(feature.flag if value else f"--no-{feature.flag[2:]}")
        elif feature.kind == "multi":
            args += [feature.flag, ",".join(value)]
        else:
            args += [feature.flag, str(value)]
    return args


def has_database(answers: Answers) -> bool:
    return answers["database"] != "none"
