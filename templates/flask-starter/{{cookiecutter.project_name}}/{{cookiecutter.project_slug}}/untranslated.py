"""Text shown as written: the templates mark their text with ``_()`` so a
translation catalog can be added later (the i18n feature); until then
``_()`` returns the text itself.
"""

from typing import Any

from flask import Flask
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup


def init_app(app: Flask) -> None:
    """Give the templates ``_()`` and ``gettext()`` without a catalog."""
    app.jinja_env.add_extension("jinja2.ext.i18n")
    # The i18n extension adds this method, which the stubs do not declare.
    app.jinja_env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    # _() is called dozens of times a page: a direct function is cheaper.
    app.jinja_env.globals.update(_=text_as_written, gettext=text_as_written)


@pass_eval_context
def text_as_written(eval_ctx: EvalContext, text: str, **variables: Any) -> str:
    """``_()`` in templates while there is no catalog: the text as written,
    with ``%(name)s`` filled in, as the i18n extension's newstyle gettext
    gives it (escaped in HTML), without its lookups on every call."""
    if eval_ctx.autoescape:
        # The text is the template's own source, trusted like the rest of it.
        text = Markup(text)  # noqa: S704  # nosec B704
    if not variables and "%" not in text:
        return text
    return text % variables
