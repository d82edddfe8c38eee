{%- set db = cookiecutter.database != "none" -%}
{%- set names = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "mysql": "MySQL/MariaDB"} -%}
{%- macro t(text) -%}
{%- if cookiecutter.i18n -%}_("{{ text }}"){%- else -%}"{{ text }}"{%- endif -%}
{%- endmacro -%}
{%- macro tl(text) -%}
{%- if cookiecutter.i18n -%}_l("{{ text }}"){%- else -%}"{{ text }}"{%- endif -%}
{%- endmacro -%}
"""The home page, its example form, and ``/favicon.ico``."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
{%- if cookiecutter.i18n %}
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
{%- endif %}

from .forms import MessageForm
{%- if db %}
from .messages import recent_messages, save_message
{%- else %}
from .message_log import recent_messages, save_message
{%- endif %}
{%- if cookiecutter.tasks == "celery" %}
from .tasks import announce_message
{%- endif %}
from .throttling import limiter

bp = Blueprint("main", __name__)

#: Messages one client address may send (each could become an email).
MESSAGES_PER_ADDRESS = "10 per hour"

#: What the start page (templates/home/) shows about this project.
START_PAGE = {
    "package": __package__,
{%- if db %}
    "database": "{{ names[cookiecutter.database] }}",
{%- endif %}
}


# Reading a page and sending its form are two views, so that only sending
# carries the limit: Flask-Limiter works through a view's limits on every
# request it gets, including the GETs a limit of POSTs never counts.
@bp.get("/")
def index() -> ResponseReturnValue:
    return home_page(MessageForm())


@bp.post("/")
@limiter.limit(
    MESSAGES_PER_ADDRESS,
    error_message={{ tl("Too many messages from your address. Please try again later.") }},
)
def send_message() -> ResponseReturnValue:
    form = MessageForm()
    if not form.validate_on_submit():
        return home_page(form)
    save_message(form)
{%- if cookiecutter.tasks == "celery" %}
    announce_message.delay(form.author.data or "")
{%- endif %}
    flash({{ t("Thank you, your message was received.") }}, "success")
    return redirect(url_for("main.index"))


def home_page(form: MessageForm) -> str:
    messages = recent_messages()
    return render_template("index.html", form=form, messages=messages, **START_PAGE)


@bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """The site's icon, for pages that do not link it (Flask-Admin's)."""
    return redirect(url_for("static", filename="favicon.svg"))
