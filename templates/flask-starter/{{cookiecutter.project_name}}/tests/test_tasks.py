"""Background tasks (run eagerly in the tests: no broker, no worker)."""

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from {{ cookiecutter.project_slug }} import tasks


def test_celery_app_is_bound_to_flask(app: Flask) -> None:
    celery_app = app.extensions["celery"]
    assert celery_app.conf.task_always_eager


def test_announce_message(app: Flask) -> None:
    result = tasks.announce_message.delay("Ada")
    assert result.get() == "New message from Ada"


def test_sending_a_message_queues_the_task(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued = []
    monkeypatch.setattr(
        tasks.announce_message, "delay", lambda author: queued.append(author)
    )
    client.post("/", data={"author": "Ada", "body": "Hello"})
    assert queued == ["Ada"]


def test_readyz_without_redis(make_app: Callable[..., Flask]) -> None:
    # Nothing listens on port 1: the connection is refused at once.
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json is not None
    assert response.json["checks"]["redis"] is False


def test_heartbeat(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger=tasks.__name__)
    assert tasks.heartbeat.delay().get() == "Heartbeat: beat and the worker are running"
    assert "Heartbeat" in caplog.text


def test_beat_sends_the_heartbeat(
    app: Flask,
    settings: dict[str, Any],
    make_app: Callable[..., Flask],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Beat's schedule (the app's own, not the tests' eager settings) names a
    task the worker knows, every HEARTBEAT_SECONDS."""
    monkeypatch.setenv("HEARTBEAT_SECONDS", "42")
    del settings["CELERY"]
    try:
        celery_app = make_app().extensions["celery"]
    finally:
        # Building an app makes its Celery app the default: the tests' one again.
        app.extensions["celery"].set_default()
    entry = celery_app.conf.beat_schedule["heartbeat"]
    assert entry["task"] == tasks.heartbeat.name
    assert entry["task"] in celery_app.tasks  # registered: the worker can run it
    assert entry["schedule"] == 42
