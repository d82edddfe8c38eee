"""The messages left with the home page's form, without a database: each
goes to the log, and the page lists none.
"""

from flask import current_app

from .forms import MessageForm


def save_message(form: MessageForm) -> None:
    """Log the message that ``form`` holds (validated)."""
    current_app.logger.info("Message from %s: %s", form.author.data, form.body.data)


def recent_messages() -> tuple[()]:
    """No message is kept, so there are none to list."""
    return ()
