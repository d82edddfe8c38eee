{%- macro t(text) -%}
{%- if cookiecutter.i18n -%}_("{{ text }}"){%- else -%}"{{ text }}"{%- endif -%}
{%- endmacro -%}
{%- macro tl(text) -%}
{%- if cookiecutter.i18n -%}_l("{{ text }}"){%- else -%}"{{ text }}"{%- endif -%}
{%- endmacro -%}
"""Links sent by email: address verification and password reset.

A link holds a token signed with SECRET_KEY (itsdangerous, which Flask
uses for its session cookie) that names the account and expires: a
verification link after ``EMAIL_VERIFICATION_MAX_AGE`` seconds (3 days), a
reset link after ``PASSWORD_RESET_MAX_AGE`` (1 hour).  A reset link also
holds a fingerprint of the password hash and session token, so it works
once: the new password changes both.

The messages are written in the request (in the visitor's language) and sent
by a job after it (``mail.later``); the reset job looks the address up
itself, so a request for an unknown address takes as long as for a known one.
"""

import hashlib
import hmac
from typing import Any

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
{%- if cookiecutter.i18n %}
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
{%- endif %}
from flask_login import current_user
from flask_wtf import FlaskForm
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from .database import db
from .mail import job, later, send_email
from .passwords import StrongPassword
from .throttling import limiter
from .users import User, normalise_email

bp = Blueprint("recovery", __name__, url_prefix="/auth")

VERIFY = "email-verification"
RESET = "password-reset"
#: Password reset requests allowed from one client address.
RESETS_PER_ADDRESS = "10 per hour"
#: Reset messages one address can be sent, whoever asks.
RESETS_PER_ACCOUNT = "3 per hour"


def init_app(app: Flask) -> None:
    app.config.setdefault("EMAIL_VERIFICATION_MAX_AGE", 3 * 24 * 3600)
    app.config.setdefault("PASSWORD_RESET_MAX_AGE", 3600)
    app.register_blueprint(bp)


# --------------------------------------------------------------------------
# Tokens


def serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def fingerprint(purpose: str, user: User) -> str:
    """What must not have changed since the link was made."""
    state = user.email
    if purpose == RESET:
        state += f":{user.password_hash}:{user.session_token}"
    return hashlib.sha256(state.encode()).hexdigest()[:24]


def make_token(purpose: str, user: User) -> str:
    return serializer(purpose).dumps([user.id, fingerprint(purpose, user)])


def user_from_token(purpose: str, token: str) -> User | None:
    """The account of a valid, unexpired token, else None."""
    max_age = current_app.config[
        "EMAIL_VERIFICATION_MAX_AGE" if purpose == VERIFY else "PASSWORD_RESET_MAX_AGE"
    ]
    try:
        user_id, mark = serializer(purpose).loads(token, max_age=max_age)
    except (BadData, TypeError, ValueError):
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not hmac.compare_digest(fingerprint(purpose, user), str(mark)):
        return None
    return user


# --------------------------------------------------------------------------
# Messages: written in the request, sent by a job after it


def message(template: str, **context: Any) -> tuple[str, str]:
    """The subject (first line) and body of ``auth/email/<template>.txt``;
    ``{link}`` is left for the job to fill in."""
    text = render_template(f"auth/email/{template}.txt", link="{link}", **context)
    subject, _, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def send_verification(user: User) -> None:
    """Send ``user`` a link that confirms their address."""
    subject, body = message("verify")
    later(send_link, str(user.id), VERIFY, subject, body, request.url_root)


def send_signup_notice(email: str) -> None:
    """Tell the owner of ``email`` that someone signed up with it again."""
    login = url_for("auth.login", _external=True)
    subject, body = message("signup_notice", login=login)
    later(send_reset_link, email, subject, body, request.url_root)


@job
def send_link(user_id: str, purpose: str, subject: str, body: str, root: str) -> None:
    user = db.session.get(User, int(user_id))
    if user is not None:
        deliver(user, purpose, subject, body, root)


@job
def send_reset_link(email: str, subject: str, body: str, root: str) -> None:
    """Send a reset link to ``email`` if an account has it (else nothing)."""
    user = db.session.scalar(select(User).where(User.email == email))
    if user is not None:
        deliver(user, RESET, subject, body, root)


def deliver(user: User, purpose: str, subject: str, body: str, root: str) -> None:
    endpoint = "recovery.verify" if purpose == VERIFY else "recovery.reset"
    with current_app.test_request_context(base_url=root):
        link = url_for(endpoint, token=make_token(purpose, user), _external=True)
    send_email(user.email, subject, body.replace("{link}", link))


# --------------------------------------------------------------------------
# Pages


class ResetRequestForm(FlaskForm):
    email = EmailField(
        {{ tl("Email") }},
        validators=[DataRequired(), Email(), Length(max=255)],
        filters=[normalise_email],
        render_kw={"autocomplete": "email"},
    )
    submit = SubmitField({{ tl("Send me a link") }})


class NewPasswordForm(FlaskForm):
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


def reset_account() -> str:
    """The address a reset request names: the key of its per-account limit."""
    return "reset:" + normalise_email(request.form.get("email"))


@bp.get("/verify/<token>")
def verify(token: str) -> ResponseReturnValue:
    user = user_from_token(VERIFY, token)
    if user is None:
        flash({{ t("This link is invalid or has expired.") }}, "error")
        return redirect(url_for("auth.login"))
    user.email_verified = True
    db.session.commit()
    flash({{ t("Your email address is confirmed.") }}, "success")
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    return redirect(url_for("auth.login"))


# The page and its submission are two views, so that only the submission
# carries the limits (Flask-Limiter works through a view's limits on every
# request it gets, GETs included).
@bp.get("/reset")
def reset_request() -> ResponseReturnValue:
    return render_template("auth/reset_request.html", form=ResetRequestForm())


@bp.post("/reset")
@limiter.limit(
    RESETS_PER_ACCOUNT,
    key_func=reset_account,
    error_message={{ tl("Too many reset requests. Please try again later.") }},
)
@limiter.limit(
    RESETS_PER_ADDRESS,
    error_message={{ tl("Too many reset requests. Please try again later.") }},
)
def submit_reset_request() -> ResponseReturnValue:
    form = ResetRequestForm()
    if not form.validate_on_submit():
        return render_template("auth/reset_request.html", form=form)
    subject, body = message("reset")
    later(send_reset_link, form.email.data or "", subject, body, request.url_root)
    flash({{ t("If this address has an account, we sent it a reset link.") }}, "success")
    return redirect(url_for("auth.login"))


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> ResponseReturnValue:
    user = user_from_token(RESET, token)
    if user is None:
        flash({{ t("This link is invalid or has expired.") }}, "error")
        return redirect(url_for("recovery.reset_request"))
    form = NewPasswordForm()
    form.account_email = user.email
    if form.validate_on_submit():
        # Every session and remember-me cookie of the account ends.
        user.set_password(form.password.data or "")
        # The link reached the address: it is the owner's.
        user.email_verified = True
        db.session.commit()
        flash({{ t("Your password was changed. You can log in now.") }}, "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)
