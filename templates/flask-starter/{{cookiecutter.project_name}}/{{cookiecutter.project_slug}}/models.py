"""The database models (SQLAlchemy 2.0 typed mappings).

After changing a model, write a migration: ``flask db migrate -m "what"``,
read it, then ``flask db upgrade``.

The models derive from ``Base``, the declarative base that ``db.Model``
extends (same metadata, so Flask-SQLAlchemy and Alembic see them): unlike
``db.Model``, type checkers understand it. Each model names its table
(``__tablename__``).
"""

import secrets
from datetime import UTC, datetime

{% if cookiecutter.auth -%}
from flask import current_app
from flask_login import UserMixin
{% endif -%}
from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column
{%- if cookiecutter.auth %}
from werkzeug.security import check_password_hash, generate_password_hash
{%- endif %}

from .database import Base


def utcnow() -> datetime:
    """The current time; a callable default, so it runs for every new row."""
    return datetime.now(UTC)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class Message(Base):
    """A message left with the form on the home page."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    author: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow
    )

    def __repr__(self) -> str:
        return f"<Message {self.id} by {self.author!r}>"


class User({% if cookiecutter.auth %}UserMixin, {% endif %}Base):
    """An account; the password is stored only as a salted hash.

    The table exists whatever the answers (like the admin flag), so that
    turning accounts or the admin on later needs no change to a database
    that already holds data.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    #: Part of every login session and remember-me cookie of this user
    #: (``get_id``): a new token ends them all.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow
    )
{%- if cookiecutter.auth %}

    def set_password(self, password: str) -> None:
        """Store ``password``'s hash; every session of the old one ends."""
        method = current_app.config["PASSWORD_HASH_METHOD"]
        self.password_hash = generate_password_hash(password, method=method)
        self.end_sessions()

    def end_sessions(self) -> None:
        """End every login session and remember-me cookie of this user."""
        self.session_token = new_session_token()

    def get_id(self) -> str:
        """What sessions and remember-me cookies hold (Flask-Login's
        alternative token): the id and the current session token."""
        return f"{self.id}:{self.session_token}"

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)
{%- endif %}

    def __repr__(self) -> str:
        return f"<User {self.email!r}>"
