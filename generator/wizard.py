"""The interactive wizard: asks what the flags and answers file left open.

Every question, choice and default comes from the catalogue; a choice that the
earlier answers make impossible is never offered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .catalogue import BY_KEY, FEATURES, Answers, Feature, Kind, offered_values


class Cancelled(Exception):
    """The user pressed Ctrl-C, sent EOF, or declined the summary."""


def _ask(question) -> Any:
    # unsafe_ask lets KeyboardInterrupt and EOFError through, so the command
    # can exit with 130 instead of questionary's own "Cancelled" handling.
    try:
        return question.unsafe_ask()
    except EOFError as exc:
        raise Cancelled("input ended (EOF) before the questions were answered") from exc


def ask_name(default: str, problem: Callable[[str], str | None]) -> str:
    """Ask for the project name; ``problem`` explains a name that cannot be
    used (shown under the prompt while typing)."""
    import questionary

    def validate(text: str) -> bool | str:
        return problem(text) or True

    return _ask(questionary.text("Project name", default=default, validate=validate))


def _label(value: Any) -> str:
    return "yes" if value is True else "no" if value is False else str(value)


def ask_feature(feature: Feature, answers: Answers) -> Any:
    import questionary

    offered = offered_values(feature, answers)
    if len(offered) == 1 and not feature.multiple:
        return offered[0]  # the only possibility: nothing to ask
    message = f"{feature.prompt}"
    instruction = feature.help
    if feature.kind is Kind.BOOL:
        default = feature.default if feature.default in offered else offered[0]
        return _ask(
            questionary.confirm(
                message, default=default, instruction=f"({instruction}) "
            )
        )
    if feature.multiple:
        choices = [
            questionary.Choice(value, value=value, checked=value in feature.default)
            for value in offered
        ]
        picked = _ask(
            questionary.checkbox(
                message, choices=choices, instruction=f"({instruction})"
            )
        )
        return tuple(value for value in offered if value in picked)
    default = feature.default if feature.default in offered else offered[0]
    return _ask(
        questionary.select(
            message,
            choices=list(offered),
            default=default,
            instruction=f"({instruction})",
        )
    )


def run(
    answers: Answers, name: str | None, problem: Callable[[str], str | None]
) -> tuple[str, Answers]:
    """Ask for the name (when missing) and every unanswered question."""
    if name is None:
        name = ask_name("mysite", problem)
    answers = dict(answers)
    for feature in FEATURES:
        framework = answers.get("framework", BY_KEY["framework"].default)
        if feature.key not in answers and feature.asked_for(framework):
            answers[feature.key] = ask_feature(feature, answers)
    return name, answers


def confirm(summary: list[str]) -> None:
    """Show the choices and ask before writing anything."""
    import questionary

    print("\n".join(summary))
    if not _ask(questionary.confirm("Generate the project?", default=True)):
        raise Cancelled("not confirmed")


def summary_lines(name: str, target: str, answers: Answers) -> list[str]:
    width = max(len(f.key) for f in FEATURES)
    lines = [f"  {'name':<{width}} {name}  ->  {target}"]
    for feature in FEATURES:
        if feature.key not in answers:
            continue  # not asked for this framework
        value = answers[feature.key]
        shown = (
            ", ".join(value) or "(none)" if isinstance(value, tuple) else _label(value)
        )
        lines.append(f"  {feature.key:<{width}} {shown}")
    return lines
