{%- set db = cookiecutter.database != "none" -%}
{%- macro t(text) -%}
{%- if cookiecutter.i18n -%}_("{{ text }}"){%- else -%}"{{ text }}"{%- endif -%}
{%- endmacro -%}
"""The home page, its example form, and ``/favicon.ico``."""

{% if db -%}
from flask import Blueprint, flash, redirect, render_template, url_for
{% else -%}
from flask import Blueprint, current_app, flash, redirect, render_template, url_for
{% endif -%}
from flask.typing import ResponseReturnValue
{%- if cookiecutter.i18n %}
from flask_babel import gettext as _
{%- endif %}
{%- if db %}
from sqlalchemy import select
{%- endif %}
{%- if db %}

from .database import db
from .forms import MessageForm
from .models import Message
{%- else %}

from .forms import MessageForm
{%- endif %}
{%- if cookiecutter.tasks == "celery" %}
from .tasks import announce_message
{%- endif %}

bp = Blueprint("main", __name__)

#: What the start page (templates/home/) shows about this project.
START_PAGE = {
    "package": __package__,
{%- if cookiecutter.database == "sqlite" %}
    "database": "SQLite",
{%- elif cookiecutter.database == "postgresql" %}
    "database": "PostgreSQL",
{%- elif cookiecutter.database == "mysql" %}
    "database": "MySQL/MariaDB",
{%- endif %}
}
{%- if db %}

#: The messages the home page lists, newest first: built once, and only the
#: two columns shown (rows, not model objects, so no ORM loading per request).
RECENT_MESSAGES = (
    select(Message.author, Message.body)
    .order_by(Message.created_at.desc(), Message.id.desc())
    .limit(10)
)
{%- endif %}


@bp.route("/", methods=["GET", "POST"])
def index() -> ResponseReturnValue:
    form = MessageForm()
    if form.validate_on_submit():
{%- if db %}
        message = Message(author=form.author.data, body=form.body.data)
        db.session.add(message)
        db.session.commit()
{%- else %}
        current_app.logger.info("Message from %s: %s", form.author.data, form.body.data)
{%- endif %}
{%- if cookiecutter.tasks == "celery" %}
        announce_message.delay(form.author.data or "")
{%- endif %}
        flash({{ t("Thank you, your message was received.") }}, "success")
        return redirect(url_for("main.index"))
{%- if db %}
    messages = db.session.execute(RECENT_MESSAGES).all()
    return render_template("index.html", form=form, messages=messages, **START_PAGE)
{%- else %}
    return render_template("index.html", form=form, **START_PAGE)
{%- endif %}


@bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """The site's icon, for pages that do not link it (Flask-Admin's)."""
    return redirect(url_for("static", filename="favicon.svg"))
