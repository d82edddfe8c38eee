{%- macro t(text) -%}
{%- if cookiecutter.i18n -%}_("{{ text }}"){%- else -%}"{{ text }}"{%- endif -%}
{%- endmacro -%}
{%- macro tl(text) -%}
{%- if cookiecutter.i18n -%}_l("{{ text }}"){%- else -%}"{{ text }}"{%- endif -%}
{%- endmacro -%}
"""Accounts: sign up, log in, log out and password change.

Failed logins are throttled per account and per client address, sign-ups per
client address (``throttling.py`` says where the counters live).

Sessions end when they should: each user has a session token that every
login session and remember-me cookie holds (``User.get_id``); logging out and
changing the password replace it, which ends all the others.  Logging in
starts a new CSRF token.

Nothing tells whether an address has an account: sign-up gives the same
answer for a new and a taken address (the owner of a taken one gets an email
instead), and a login for an unknown address hashes the password too, so it
takes as long.  New accounts confirm their address with a link
(``recovery.py``); until then they may log in only when
``ALLOW_UNVERIFIED_LOGIN`` is set (not by default: else anyone could use an
account in someone else's name).
"""

import hmac
import os
from functools import cache

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
{%- if cookiecutter.i18n %}
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
{%- endif %}
from flask_login import (
    LoginManager,
    current_user,
    login_required,
    login_user,
    logout_user,
)
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from . import account, mail, recovery
from .config import flag
from .database import db
from .passwords import StrongPassword
from .redirects import safe_redirect_target
from .throttling import limiter
from .users import User, normalise_email

bp = Blueprint("auth", __name__, url_prefix="/auth")

login_manager = LoginManager()
login_manager.login_view = "auth.login"
{%- if cookiecutter.i18n %}
login_manager.login_message = _l("Please log in to see this page.")
{%- endif %}

#: How passwords are hashed: werkzeug's strongest method. The tests swap in a
#: cheap one for speed.
HASH_METHOD = "scrypt"

#: Failed logins allowed for one account, whoever tries: then even the right
#: password waits for the window to end.
LOGIN_FAILURES_PER_ACCOUNT = "5 per 15 minutes"
#: Failed logins allowed from one client address, whichever accounts it tries.
LOGIN_FAILURES_PER_ADDRESS = "20 per 15 minutes"
#: Sign-up attempts allowed from one client address.
SIGNUPS_PER_ADDRESS = "10 per hour"
#: What a throttled login is told.
LOGIN_THROTTLED = {{ tl("Too many failed logins. Please wait a few minutes and try again.") }}


def init_app(app: Flask) -> None:
    """Accounts for ``app``: the login sessions and the pages under /auth."""
    # The "remember me" cookie: HTTPS only outside development, out of reach of
    # scripts, like the session cookie.
    app.config.setdefault("REMEMBER_COOKIE_SECURE", not app.debug)
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("PASSWORD_HASH_METHOD", HASH_METHOD)
    app.config.setdefault(
        "ALLOW_UNVERIFIED_LOGIN", flag(os.environ, "ALLOW_UNVERIFIED_LOGIN", False)
    )
    login_manager.init_app(app)
    app.register_blueprint(bp)
    mail.init_app(app)
    recovery.init_app(app)
    account.init_app(app)


class SignupForm(FlaskForm):
    email = EmailField(
        {{ tl("Email") }},
        validators=[DataRequired(), Email(), Length(max=255)],
        filters=[normalise_email],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        {{ tl("Password") }},
        validators=[DataRequired(), Length(max=128), StrongPassword()],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        {{ tl("Repeat password") }},
        validators=[
            DataRequired(),
            EqualTo("password", message={{ tl("The passwords do not match.") }}),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField({{ tl("Sign up") }})


class LoginForm(FlaskForm):
    email = EmailField(
        {{ tl("Email") }},
        validators=[DataRequired(), Email()],
        filters=[normalise_email],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        {{ tl("Password") }},
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField({{ tl("Remember me") }})
    submit = SubmitField({{ tl("Log in") }})


class PasswordForm(FlaskForm):
    current = PasswordField(
        {{ tl("Current password") }},
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    password = PasswordField(
        {{ tl("New password") }},
        validators=[DataRequired(), Length(max=128), StrongPassword()],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        {{ tl("Repeat new password") }},
        validators=[
            DataRequired(),
            EqualTo("password", message={{ tl("The passwords do not match.") }}),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField({{ tl("Change password") }})


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of a session or remember-me cookie (``id:token``), or None
    once that user's session token has changed."""
    number, _, token = user_id.partition(":")
    if not number.isdigit() or not token:
        return None
    user = db.session.get(User, int(number))
    if user is None or not hmac.compare_digest(user.session_token, token):
        return None
    return user


def start_session(user: User, remember: bool = False) -> None:
    """Log ``user`` in, with a new CSRF token: one seen before is refused."""
    session.pop(current_app.config["WTF_CSRF_FIELD_NAME"], None)
    login_user(user, remember=remember)


def find_user(email: str | None) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(email: str, password: str) -> User | None:
    """A new account, or None when another request made it first."""
    user = User(email=email)
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return user


@cache
def hash_of_nothing(method: str) -> str:
    return generate_password_hash(os.urandom(16).hex(), method)


def dummy_hash() -> str:
    """A hash no password matches, made as a real one is."""
    return hash_of_nothing(current_app.config["PASSWORD_HASH_METHOD"])


def login_account() -> str:
    """The account a login attempt names: the key of its per-account limit."""
    return "account:" + normalise_email(request.form.get("email"))


def login_failed(response: Response) -> bool:
    """Whether the request was a failed login: only those are counted."""
    return bool(g.get("login_failed"))


def next_page() -> str:
    """Where to go after logging in: ``next`` when it is on this site."""
    return safe_redirect_target(request.args.get("next")) or url_for("main.index")


# Each form's page and its submission are two views, so that only the
# submission carries the limits: Flask-Limiter works through a view's limits
# on every request it gets, including the GETs a limit of POSTs never counts.
@bp.get("/signup")
def signup() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    return render_template("auth/signup.html", form=SignupForm())


@bp.post("/signup")
@limiter.limit(
    SIGNUPS_PER_ADDRESS,
    error_message={{ tl("Too many sign-ups from your address. Please try again later.") }},
)
def submit_signup() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = SignupForm()
    if not form.validate_on_submit():
        return render_template("auth/signup.html", form=form)
    email = form.email.data or ""
    # The validators ran: a field's data is None only when not submitted.
    password = form.password.data or ""
    user = find_user(email)
    if user is None:
        user = create_user(email, password)
    else:
        # As long as creating an account takes.
        generate_password_hash(password, current_app.config["PASSWORD_HASH_METHOD"])
    if user is None or user.email_verified:
        recovery.send_signup_notice(email)
    else:
        recovery.send_verification(user)
    sent = {{ t("We sent a message to {email}: follow its link to confirm it.") }}
    flash(sent.format(email=email), "success")
    return redirect(url_for("auth.login"))


@bp.get("/login")
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(next_page())
    return render_template("auth/login.html", form=LoginForm())


@bp.post("/login")
@limiter.limit(
    LOGIN_FAILURES_PER_ACCOUNT,
    key_func=login_account,
    deduct_when=login_failed,
    error_message=LOGIN_THROTTLED,
)
@limiter.limit(
    LOGIN_FAILURES_PER_ADDRESS,
    deduct_when=login_failed,
    error_message=LOGIN_THROTTLED,
)
def submit_login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(next_page())
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    user = find_user(form.email.data)
    password = form.password.data or ""
    if user is None:
        # As long as checking a real password takes.
        check_password_hash(dummy_hash(), password)
    elif user.check_password(password):
        if user.email_verified or current_app.config["ALLOW_UNVERIFIED_LOGIN"]:
            start_session(user, remember=bool(form.remember.data))
            flash({{ t("You are logged in.") }}, "success")
            return redirect(next_page())
        recovery.send_verification(user)
        flash(
            {{ t("Please confirm your email address first: we sent you a new link.") }},
            "error",
        )
        return render_template("auth/login.html", form=form)
    g.login_failed = True
    flash({{ t("Wrong email or password.") }}, "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    if current_user.is_authenticated:
        # A new token ends the user's other sessions and remember-me cookies.
        current_user.end_sessions()
        db.session.commit()
    logout_user()
    flash({{ t("You are logged out.") }}, "success")
    return redirect(url_for("main.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    form = PasswordForm()
    form.account_email = current_user.email
    if form.validate_on_submit():
        if current_user.check_password(form.current.data or ""):
            # A new password ends every session: this one starts again.
            user: User = current_user._get_current_object()
            user.set_password(form.password.data or "")
            db.session.commit()
            remembered = request.cookies.get(
                current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
            )
            start_session(user, remember=remembered is not None)
            flash({{ t("Your password was changed.") }}, "success")
            return redirect(url_for("main.index"))
        form.current.errors = [
            *form.current.errors,
            {{ t("This is not your current password.") }},
        ]
    return render_template("auth/password.html", form=form)
