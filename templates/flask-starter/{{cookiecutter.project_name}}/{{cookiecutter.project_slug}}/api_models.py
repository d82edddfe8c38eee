"""The REST API's tables: ``Note``, the example resource, and ``ApiToken``,
the tokens scripts send (``Authorization: Bearer ...``).

The tables exist whatever the answers (like ``users``): turning the API on
or off later (``webdev-new add api`` / ``remove api``) leaves the chain of
migrations, and a database that already holds data, as they are.

A note belongs to one user; deleting the account deletes its notes and its
tokens (``ON DELETE CASCADE``).  A token is stored only as its SHA-256 digest:
the token itself is shown once, by ``flask api-token``, and a copy of the
table gives nobody a way in.
"""

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .database import Base
from .models import utcnow
from .users import User


class Note(Base):
    """A note a user keeps through the API."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    def __repr__(self) -> str:
        return f"<Note {self.id} {self.title!r}>"


def token_digest(token: str) -> str:
    """What is stored of a token: its SHA-256, enough for a random secret of
    32 bytes (a slow hash protects guessable passwords, not these)."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(Base):
    """A token that authenticates its user's scripts to the API."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    digest: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow
    )
    user: Mapped[User] = relationship(lazy="joined")

    @classmethod
    def issue(cls, user: User) -> tuple["ApiToken", str]:
        """A new token for ``user``: the row to add and the token to show."""
        token = secrets.token_urlsafe(32)
        return cls(user=user, digest=token_digest(token)), token

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} of user {self.user_id}>"
