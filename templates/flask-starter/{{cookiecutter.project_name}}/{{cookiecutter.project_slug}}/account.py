{%- macro t(text) -%}
{%- if cookiecutter.i18n -%}_("{{ text }}"){%- else -%}"{{ text }}"{%- endif -%}
{%- endmacro -%}
{%- macro tl(text) -%}
{%- if cookiecutter.i18n -%}_l("{{ text }}"){%- else -%}"{{ text }}"{%- endif -%}
{%- endmacro -%}
"""The account page: the user's email, a link to change the password, and
deleting the account (the password confirms it)."""

from flask import Blueprint, Flask, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
{%- if cookiecutter.i18n %}
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
{%- endif %}
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SubmitField
from wtforms.validators import DataRequired

from .database import db
from .throttling import limiter
from .users import User

bp = Blueprint("account", __name__, url_prefix="/auth")

#: Deletion attempts allowed from one client address: the password is asked
#: again, so it must not be guessed here either.
DELETES_PER_ADDRESS = "5 per 15 minutes"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        {{ tl("Your password") }},
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField({{ tl("Delete my account") }})


@bp.get("/account")
@login_required
def account() -> ResponseReturnValue:
    form = DeleteAccountForm(formdata=None)
    return render_template("auth/account.html", form=form)


@bp.post("/account/delete")
@login_required
@limiter.limit(DELETES_PER_ADDRESS)
def delete_account() -> ResponseReturnValue:
    form = DeleteAccountForm()
    if form.validate_on_submit():
        user: User = current_user._get_current_object()
        if user.check_password(form.password.data or ""):
            db.session.delete(user)
            db.session.commit()
            logout_user()
            flash({{ t("Your account was deleted.") }}, "success")
            return redirect(url_for("main.index"))
        form.password.errors = [
            *form.password.errors,
            {{ t("This is not your password.") }},
        ]
    return render_template("auth/account.html", form=form), 400
