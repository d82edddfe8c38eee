{%- set db = cookiecutter.database != "none" -%}
"""The Flask extensions, created once here and bound in ``create_app``."""

{% if cookiecutter.i18n -%}
from flask_babel import Babel
{% endif -%}
{% if cookiecutter.auth -%}
from flask_login import LoginManager
{% endif -%}
{% if db -%}
from flask_sqlalchemy import SQLAlchemy
{% endif -%}
from flask_wtf.csrf import CSRFProtect
{%- if db %}
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Base of the models.

    Constraints get predictable names, so migrations can drop or alter them on
    every database (SQLite batch mode needs names too).
    """

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
{%- else %}
{% endif %}
csrf = CSRFProtect()
{%- if cookiecutter.auth %}
login_manager = LoginManager()
login_manager.login_view = "auth.login"
{%- endif %}
{%- if cookiecutter.i18n %}
babel = Babel()
{%- endif %}
