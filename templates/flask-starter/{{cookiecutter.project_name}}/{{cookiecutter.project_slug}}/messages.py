"""The messages left with the home page's form, kept in the database."""

from collections.abc import Sequence

from sqlalchemy import Row, select

from .database import db
from .forms import MessageForm
from .models import Message

#: The messages the home page lists, newest first: built once, and only the
#: two columns shown (rows, not model objects, so no ORM loading per request).
RECENT_MESSAGES = (
    select(Message.author, Message.body)
    .order_by(Message.created_at.desc(), Message.id.desc())
    .limit(10)
)


def save_message(form: MessageForm) -> None:
    """Store the message that ``form`` holds (validated)."""
    db.session.add(Message(author=form.author.data, body=form.body.data))
    db.session.commit()


def recent_messages() -> Sequence[Row[str, str]]:
    """The last ten messages, newest first: their author and body.

    Read on a connection of its own rather than through ``db.session``: an
    ORM session (begun, then closed when the request ends) for one read of
    rows is about a tenth of the home page's time.
    """
    with db.engine.connect() as connection:
        return connection.execute(RECENT_MESSAGES).all()
