{%- set db = cookiecutter.database != "none" -%}
{%- macro t(text) -%}
{%- if cookiecutter.i18n -%}_("{{ text }}"){%- else -%}"{{ text }}"{%- endif -%}
{%- endmacro -%}
"""Error pages, in the site's layout, for every blueprint."""

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
{%- if cookiecutter.i18n %}
from flask_babel import gettext as _
{%- endif %}
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
{%- if db %}

from .database import db
{%- endif %}

bp = Blueprint("errors", __name__)


def page(
    code: int, title: str, text: str, headers: list[tuple[str, str]] | None = None
) -> ResponseReturnValue:
    """The error page; ``headers`` keeps those the status needs (Allow, Retry-After)."""
    html = render_template("error.html", code=code, title=title, text=text)
    return html, code, headers or []


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError) -> ResponseReturnValue:
    return page(
        400,
        {{ t("The form has expired") }},
        {{ t("Please go back, reload the page and submit the form again.") }},
    )


@bp.app_errorhandler(400)
def bad_request(error: HTTPException) -> ResponseReturnValue:
    return page(
        400,
        {{ t("Bad request") }},
        {{ t("The server could not understand this request. Please check the address.") }},
    )


@bp.app_errorhandler(403)
def forbidden(error: HTTPException) -> ResponseReturnValue:
    return page(
        403,
        {{ t("Forbidden") }},
        {{ t("You do not have permission to see this page.") }},
    )


@bp.app_errorhandler(404)
def not_found(error: HTTPException) -> ResponseReturnValue:
    return page(
        404,
        {{ t("Page not found") }},
        {{ t("There is nothing at this address.") }},
    )


@bp.app_errorhandler(405)
def method_not_allowed(error: HTTPException) -> ResponseReturnValue:
    return page(
        405,
        {{ t("Method not allowed") }},
        {{ t("This address does not accept this kind of request.") }},
        error.get_headers(),
    )


@bp.app_errorhandler(429)
def too_many_requests(error: HTTPException) -> ResponseReturnValue:
    text = {{ t("Too many requests in a short time. Please wait a moment and try again.") }}
    if isinstance(error, RateLimitExceeded) and error.limit.error_message:
        # The limit's own message says what was repeated too often.
        text = str(error.description)
    return page(429, {{ t("Too many requests") }}, text, error.get_headers())


@bp.app_errorhandler(500)
def server_error(error: Exception) -> ResponseReturnValue:
{%- if db %}
    db.session.rollback()
{%- endif %}
    return page(
        500,
        {{ t("Server error") }},
        {{ t("Something went wrong on our side. Please try again later.") }},
    )
