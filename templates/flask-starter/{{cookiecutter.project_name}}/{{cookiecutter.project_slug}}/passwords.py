{%- macro t(text) -%}
{%- if cookiecutter.i18n -%}_("{{ text }}"){%- else -%}"{{ text }}"{%- endif -%}
{%- endmacro -%}
"""Password rules: what a new password must be (sign-up, change, reset and
``flask create-admin``).

- at least ``PASSWORD_MIN_LENGTH`` characters (8 by default);
- not entirely numeric;
- not too similar to the account's email address, whole or in parts (the
  similarity is difflib's ratio, refused from ``SIMILARITY`` up);
- hard to guess by zxcvbn's estimate: a score of at least
  ``PASSWORD_MIN_SCORE`` (3 by default, out of 0-4).  zxcvbn knows the
  common passwords, words, names, dates, repeats, sequences and keyboard
  runs, and is told the email address so that passwords made of it score low.
"""

import re
from difflib import SequenceMatcher

from flask import current_app
{%- if cookiecutter.i18n %}
from flask_babel import gettext as _
{%- endif %}
from wtforms import Field, Form, ValidationError
from zxcvbn import zxcvbn

MIN_LENGTH = 8
#: zxcvbn's score: 3 is "safely unguessable" (about 10^8 guesses or more).
MIN_SCORE = 3
#: Parts of the email address at least this similar to the password refuse it.
SIMILARITY = 0.7


def email_parts(email: str) -> list[str]:
    """The address, and its words (``ada.l@example.com``: ada, l, example...)."""
    email = email.lower()
    return [email, *(part for part in re.split(r"\W+", email) if len(part) > 2)]


def too_similar(password: str, email: str) -> bool:
    password = password.lower()
    for part in email_parts(email):
        matcher = SequenceMatcher(a=password, b=part)
        if matcher.quick_ratio() >= SIMILARITY and matcher.ratio() >= SIMILARITY:
            return True
    return False


def password_problems(password: str, email: str = "") -> list[str]:
    """What is wrong with ``password`` for the account ``email`` (none: empty)."""
    config = current_app.config
    min_length = config.get("PASSWORD_MIN_LENGTH", MIN_LENGTH)
    if len(password) < min_length:
        too_short = {{ t("Use at least {count} characters.") }}
        return [too_short.format(count=min_length)]
    problems = []
    if password.isdigit():
        problems.append({{ t("The password cannot be entirely numeric.") }})
    if email and too_similar(password, email):
        problems.append({{ t("The password is too similar to the email address.") }})
    if not problems:
        inputs = email_parts(email) if email else []
        score = zxcvbn(password, user_inputs=inputs)["score"]
        if score < config.get("PASSWORD_MIN_SCORE", MIN_SCORE):
            problems.append({{ t("This password is too easy to guess.") }})
    return problems


class StrongPassword:
    """WTForms validator of a new password, by the rules above.

    The account's address is the form's ``email`` field, or the form's
    ``account_email`` attribute when the form has no such field (password
    change and reset).
    """

    def __call__(self, form: Form, field: Field) -> None:
        email = getattr(form, "account_email", None)
        if email is None and "email" in form:
            email = form["email"].data
        problems = password_problems(field.data or "", email or "")
        if problems:
            raise ValidationError(" ".join(problems))
