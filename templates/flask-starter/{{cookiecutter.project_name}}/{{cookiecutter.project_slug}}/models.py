"""The database models (SQLAlchemy 2.0 typed mappings).

After changing a model, write a migration: ``flask db migrate -m "what"``,
read it, then ``flask db upgrade``.

The models derive from ``Base``, the declarative base that ``db.Model``
extends (same metadata, so Flask-SQLAlchemy and Alembic see them): unlike
``db.Model``, type checkers understand it. Each model names its table
(``__tablename__``).  The accounts are in ``users.py``.
"""

from datetime import UTC, datetime

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .database import Base


def utcnow() -> datetime:
    """The current time; a callable default, so it runs for every new row."""
    return datetime.now(UTC)


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
