"""Translations (Flask-Babel): the visitor's language, and a switcher.

The language is the one picked with the switcher (kept in the session), else
the best match for the browser's Accept-Language header.  Catalogs live in
``translations/``; see README.md for updating them.
"""

from flask import (
    Blueprint,
    Flask,
    current_app,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import Babel, get_locale

from .redirects import safe_redirect_target

bp = Blueprint("i18n", __name__)

babel = Babel()


def select_locale() -> str | None:
    """The visitor's language; outside a request (commands, jobs) the default."""
    if not has_request_context():
        return None
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages)


def init_app(app: Flask) -> None:
    app.config.setdefault("LANGUAGES", {"en": "English", "fr": "Français"})
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
    app.register_blueprint(bp)


@bp.post("/language")
def set_language() -> ResponseReturnValue:
    locale = request.form.get("locale")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
    target = safe_redirect_target(request.form.get("next"))
    return redirect(target or url_for("main.index"))
