"""Background tasks (Celery, with Redis as the broker).

The worker runs ``celery -A wsgi:celery_app worker``; each task runs inside
the Flask app context, so it can use the database and the app's config.
"""

import logging
from typing import Any

from celery import Celery, Task, shared_task
from flask import Flask

logger = logging.getLogger(__name__)


def init_app(app: Flask) -> Celery[Any]:
    """Create the Celery app for ``app`` (settings from ``app.config["CELERY"]``)."""

    class FlaskTask(Task[Any, Any]):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


@shared_task
def announce_message(author: str) -> str:
    """The example task: runs in the worker after a message is sent."""
    text = f"New message from {author}"
    logger.info(text)
    return text
