"""The admin site (Flask-Admin) at /admin/, open to admin users only."""

from typing import Any

import click
from flask import Flask, abort
from flask.cli import with_appcontext
from flask_admin import Admin, AdminIndexView
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
from .security import script_nonce
from .users import User, normalise_email


class AdminOnly:
    """Let admins in; send anonymous visitors to log in; refuse the rest."""

    def is_accessible(self) -> bool:
        return bool(current_user.is_authenticated and current_user.is_admin)

    def inaccessible_callback(self, name: str, **kwargs: Any) -> Any:
        if current_user.is_authenticated:
            abort(403)
        return login_manager.unauthorized()


class IndexView(AdminOnly, AdminIndexView):
    pass


class SecureModelView(AdminOnly, ModelView):
    # Flask-WTF forms: the app-wide CSRF protection covers every admin form.
    form_base_class = FlaskForm
    page_size = 50


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
        theme=Bootstrap4Theme(),
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
