"""The equal-work Flask reference: the generated project's home and log-in
pages, done the plain way.

A one-file app that renders the generated project's own templates (copied
next to this file by the benchmark) with the same forms and their CSRF token
(Flask-WTF), and runs the home page's query (the ten newest messages) with
SQLAlchemy Core on the generated project's database (``DATABASE_URL``).  It
has none of the generated project's per-request work beyond that: no
security headers, host check or HTTPS redirect, no login manager (the
visitor is anonymous), no access log, no WhiteNoise; ``_()`` is Jinja's own
i18n extension with null translations.  The ratio of the generated project to
this app is the cost of those.
"""

import os

from flask import Blueprint, Flask, render_template
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from sqlalchemy import MetaData, Table, create_engine, select
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length

engine = create_engine(os.environ["DATABASE_URL"])
messages = Table("messages", MetaData(), autoload_with=engine)
RECENT = (
    select(messages.c.author, messages.c.body)
    .order_by(messages.c.created_at.desc(), messages.c.id.desc())
    .limit(10)
)


class MessageForm(FlaskForm):
    author = StringField(
        "Your name",
        validators=[DataRequired(), Length(max=80)],
        render_kw={"autocomplete": "name"},
    )
    body = TextAreaField("Message", validators=[DataRequired(), Length(max=500)])
    submit = SubmitField("Send")


class LoginForm(FlaskForm):
    email = EmailField(
        "Email",
        validators=[DataRequired(), Email()],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Remember me")
    submit = SubmitField("Log in")


class Anonymous:
    """What the templates read of the visitor: nobody is logged in."""

    is_authenticated = False
    is_admin = False


main = Blueprint("main", __name__)
auth = Blueprint("auth", __name__, url_prefix="/auth")
admin = Blueprint("admin", __name__, url_prefix="/admin")
recovery = Blueprint("recovery", __name__, url_prefix="/auth")


@main.get("/")
def index():
    with engine.connect() as connection:
        rows = connection.execute(RECENT).all()
    return render_template(
        "index.html",
        form=MessageForm(),
        messages=rows,
        package=os.environ["PACKAGE"],
        database="SQLite",
    )


@auth.get("/login")
def login():
    return render_template("auth/login.html", form=LoginForm())


# Stand-ins, so that the pages build as many URLs as the generated ones.
@auth.get("/signup", endpoint="signup")
@auth.get("/password", endpoint="change_password")
@auth.post("/logout", endpoint="logout")
@admin.get("/", endpoint="index")
@recovery.route("/reset", endpoint="reset_request", methods=["GET", "POST"])
def stand_in():
    return ""


@main.get("/healthz")
def healthz():
    return {"status": "ok"}


app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
app.config["SESSION_COOKIE_SECURE"] = True
app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
app.jinja_env.add_extension("jinja2.ext.i18n")
app.jinja_env.install_null_translations(newstyle=True)
app.jinja_env.globals.update(current_user=Anonymous(), csrf_token=generate_csrf)
for blueprint in (main, auth, admin, recovery):
    app.register_blueprint(blueprint)
