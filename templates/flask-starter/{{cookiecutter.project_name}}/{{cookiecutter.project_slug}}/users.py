"""The accounts table: ``User`` (SQLAlchemy 2.0 typed mapping).

The table exists whatever the answers (like the admin flag), so that turning
accounts or the admin on later needs no change to a database that already
holds data.  The methods Flask-Login reads (``is_active``, ``get_id``...) are
written out here rather than inherited, so this module needs nothing that
only the accounts install.

Email addresses are stored in lower case, and the database refuses any other
(``ck_users_email_lower_case``): with the unique index on the column, no two
accounts differ only by case.
"""

import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import CheckConstraint, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from .database import Base
from .models import utcnow


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def normalise_email(email: str | None) -> str:
    """How every address is stored and looked up: trimmed, in lower case."""
    return (email or "").strip().lower()


class User(Base):
    """An account; the password is stored only as a salted hash."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lower_case"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    #: Whether the owner followed the link sent to the address (or reset the
    #: password through it): the address is theirs.
    email_verified: Mapped[bool] = mapped_column(default=False)
    #: Part of every login session and remember-me cookie of this user
    #: (``get_id``): a new token ends them all.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow
    )

    #: What Flask-Login asks of a user: every stored account may log in.
    is_active = True
    is_authenticated = True
    is_anonymous = False

    def set_password(self, password: str) -> None:
        """Store ``password``'s hash; every session of the old one ends."""
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def end_sessions(self) -> None:
        """End every login session and remember-me cookie of this user."""
        self.session_token = new_session_token()

    def get_id(self) -> str:
        """What sessions and remember-me cookies hold (Flask-Login's
        alternative token): the id and the current session token."""
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.email!r}>"
