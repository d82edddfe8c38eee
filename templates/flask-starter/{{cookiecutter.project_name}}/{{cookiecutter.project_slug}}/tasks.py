"""Background tasks (Celery, with Redis as the broker).

The worker runs ``celery -A wsgi:celery_app worker``; each task runs inside
the Flask app context, so it can use the database and the app's config.
``celery -A wsgi:celery_app beat`` sends the periodic tasks of
``beat_schedule`` to the workers: run exactly one beat, or each of them
sends every task.
"""

import logging
import os
import tempfile
from typing import Any

from celery import Celery, Task, shared_task
from flask import Flask, current_app
from redis import Redis
from redis.exceptions import RedisError

from .config import whole_number

logger = logging.getLogger(__name__)


def init_app(app: Flask) -> Celery[Any]:
    """Create the Celery app for ``app`` (settings from ``app.config["CELERY"]``)."""
    app.config.setdefault(
        "REDIS_URL", os.environ.get("REDIS_URL") or "redis://localhost:6379/0"
    )
    # Seconds between two heartbeats (the example periodic task).
    app.config.setdefault(
        "HEARTBEAT_SECONDS", whole_number(os.environ, "HEARTBEAT_SECONDS", 300)
    )
    app.config.setdefault(
        "CELERY",
        {
            "broker_url": app.config["REDIS_URL"],
            "broker_connection_retry_on_startup": True,
            "task_ignore_result": True,
            # Keep the app's logging (stdout, one line an event) in the worker.
            "worker_hijack_root_logger": False,
            # https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html
            "beat_schedule": {
                "heartbeat": {
                    "task": f"{__name__}.heartbeat",
                    "schedule": app.config["HEARTBEAT_SECONDS"],
                },
            },
            # Where beat records when each task last ran (outside the code).
            "beat_schedule_filename": os.environ.get("CELERY_BEAT_SCHEDULE_FILENAME")
            or os.path.join(tempfile.gettempdir(), f"{app.name}-celerybeat-schedule"),
        },
    )

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


@shared_task
def heartbeat() -> str:
    """The example periodic task: a log line every HEARTBEAT_SECONDS, which
    shows that beat, the broker and a worker all work.  Replace it with the
    project's own jobs (deleting old rows, sending digests)."""
    text = "Heartbeat: beat and the worker are running"
    logger.info(text)
    return text


def redis_ready() -> bool:
    client = Redis.from_url(
        current_app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=2
    )
    try:
        client.ping()
    except RedisError:
        current_app.logger.warning("Readiness: Redis unreachable", exc_info=True)
        return False
    finally:
        client.close()
    return True
