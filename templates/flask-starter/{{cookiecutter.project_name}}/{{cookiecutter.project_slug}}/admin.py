"""The admin site (Flask-Admin) at /admin/, open to admin users only.

Its pages run under the site's Content-Security-Policy: Flask-Admin's list
page confirms a delete and runs "With selected" actions from inline
``onclick`` handlers, which the policy would block (the trash button would
then delete at once, without asking), so each page allows exactly those
handlers' texts and no other.
"""

from typing import Any

import click
from flask import Flask, abort, current_app
from flask.cli import with_appcontext
from flask_admin import Admin, AdminIndexView
from flask_admin.babel import gettext
from flask_admin.contrib.sqla import ModelView
from flask_admin.menu import MenuLink
from flask_admin.theme import Bootstrap4Theme
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms.validators import DataRequired, Email, Length

from .auth import login_manager
from .database import db
from .models import Message
from .passwords import password_problems
from .security import allow_inline_handlers, script_nonce
from .users import User, normalise_email


class AdminOnly:
    """Let admins in; send anonymous visitors to log in; refuse the rest."""

    def is_accessible(self) -> bool:
        return bool(current_user.is_authenticated and current_user.is_admin)

    def inaccessible_callback(self, name: str, **kwargs: Any) -> Any:
        if current_user.is_authenticated:
            abort(403)
        return login_manager.unauthorized()


def with_language(html: str) -> str:
    """Flask-Admin's pages name no language (``<html>``); give them the one
    they are shown in: the visitor's with translations on, else English."""
    get_locale = current_app.jinja_env.globals.get("get_locale")
    language = str(get_locale()) if callable(get_locale) else "en"
    return html.replace("<html>", f'<html lang="{language}">', 1)


class IndexView(AdminOnly, AdminIndexView):
    def render(self, template: str, **kwargs: Any) -> str:
        return with_language(str(super().render(template, **kwargs)))


class RowFormMeta:
    """Forms repeated on every row of a list (the delete buttons) render their
    fields without ids, which would repeat on the page."""

    def render_field(self, field: Any, render_kw: dict[str, Any]) -> Any:
        return super().render_field(field, {**render_kw, "id": False})  # type: ignore[misc]


class SecureModelView(AdminOnly, ModelView):
    # Flask-WTF forms: the app-wide CSRF protection covers every admin form.
    form_base_class = FlaskForm
    page_size = 50

    def get_delete_form(self) -> Any:
        form = super().get_delete_form()
        return type("RowDeleteForm", (form,), {"Meta": RowFormMeta})

    def inline_handlers(self) -> list[str]:
        """The inline scripts of Flask-Admin's templates for this view: the
        delete button's confirmation (in the page's language), one per "With
        selected" action, and the ``javascript:void(0)`` links its menus and
        tabs use as buttons."""
        confirm = gettext("Are you sure you want to delete this record?")
        actions, _confirmations = self.get_actions_list()
        return [
            "javascript:void(0)",
            f"return faHelpers.safeConfirm('{confirm}');",
            *(f"return modelActions.execute('{name}');" for name, _text in actions),
        ]

    def render(self, template: str, **kwargs: Any) -> str:
        allow_inline_handlers(*self.inline_handlers())
        return with_language(str(super().render(template, **kwargs)))


class UserView(SecureModelView):
    # Accounts are created by signing up or with ``flask create-admin``.
    can_create = False
    column_list = ("email", "is_admin", "created_at")
    column_searchable_list = ("email",)
    column_default_sort = ("created_at", True)
    form_columns = ("email", "is_admin")
    # Stored as the login page looks it up (in lower case), and refused when
    # it is not an address: either would lock the user out.  Flask-Admin adds
    # its own check that no other account has the address.
    form_args = {
        "email": {
            "validators": [DataRequired(), Email(), Length(max=255)],
            "filters": [normalise_email],
        }
    }


class MessageView(SecureModelView):
    column_list = ("author", "body", "created_at")
    column_searchable_list = ("author", "body")
    column_default_sort = ("created_at", True)
    form_columns = ("author", "body")


def init_app(app: Flask) -> None:
    admin = Admin(
        app,
        name="{{ cookiecutter.project_name }}",
        index_view=IndexView(),
        theme=Bootstrap4Theme(base_template="admin/site.html"),
        csp_nonce_generator=script_nonce,
    )
    admin.add_view(UserView(User, db, name="Users"))
    admin.add_view(MessageView(Message, db, name="Messages"))
    admin.add_link(MenuLink(name="Back to the site", endpoint="main.index"))
    app.cli.add_command(create_admin)


@click.command("create-admin")
@click.option("--email", prompt=True, help="The admin's email address.")
@click.password_option(help="The password (asked twice when not given).")
@with_appcontext
def create_admin(email: str, password: str) -> None:
    """Create an admin user, or make an existing user an admin."""
    email = normalise_email(email)
    if "@" not in email:
        raise click.BadParameter("not an email address", param_hint="--email")
    problems = password_problems(password, email)
    if problems:
        raise click.BadParameter(" ".join(problems), param_hint="--password")
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email)
        db.session.add(user)
        action = "Created"
    else:
        action = "Promoted"
    user.set_password(password)
    user.is_admin = True
    # The operator gives the address: no link to follow.
    user.email_verified = True
    db.session.commit()
    click.echo(f"{action} admin user {email}")
