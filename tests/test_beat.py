"""Celery beat and a worker, run for real, until the periodic task has run.

Each framework's project with Celery is generated and given a Redis server
of the test's own (a worker on the shared Redis could take another test's
tasks), the schedule's interval is shortened to a second through the
setting the project reads from the environment, and ``celery beat`` and
``celery worker`` are started as the Procfile starts them.  The test waits
for the task's effect: Django's example deletes expired sessions (a row the
test planted goes away); Flask's logs a heartbeat from the worker.
"""

from __future__ import annotations

import re
import shlex
import sqlite3
import time
from pathlib import Path

import combos
import deploy
import projects
import pytest
import servers
from shell import run

from testkit import deployment

#: The environment variable that sets the example task's interval.
INTERVAL = {"django": "CLEAR_SESSIONS_EVERY", "flask": "HEARTBEAT_SECONDS"}


def start(command: str, project: Path, env: dict[str, str], log: Path, ready: str):
    return servers.Server(
        shlex.split(command),
        cwd=project,
        env=env,
        port=0,
        log=log,
        ready_output=ready,
    )


def wait_until(check, what: str, *logs: servers.Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    output = "\n\n".join(f"$ {shlex.join(s.args)}\n{s.output()}" for s in logs)
    raise AssertionError(f"{what} within {timeout}s:\n{output}")


def plant_expired_session(project: Path, env: dict[str, str]) -> str:
    """A session that expired a minute ago, and one that has not: the key of
    the expired one."""
    script = (
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "old = SessionStore(); old.set_expiry(-60); old.save()\n"
        "SessionStore().save()\n"
        "print(old.session_key)\n"
    )
    result = run(["python", "manage.py", "shell", "-c", script], cwd=project, env=env)
    return result.output.strip().splitlines()[-1]


def session_keys(database: Path) -> set[str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT session_key FROM django_session").fetchall()
    return {key for (key,) in rows}


@pytest.mark.parametrize("framework", ["django", "flask"])
def test_beat_sends_the_periodic_task_and_the_worker_runs_it(
    framework, store, tmp_path
):
    answers = combos.default_answers(framework, tasks="celery")
    project = deploy.production_copy(store.get(answers), tmp_path)
    venv = projects.venv_for(project)
    procfile = deployment.procfile(project)
    assert "beat" in procfile, f"the Procfile has no beat: process: {procfile}"
    assert "worker" in procfile
    database = tmp_path / "db.sqlite3"
    with servers.private_redis(tmp_path) as redis_url:
        env = deploy.production_env(
            framework,
            venv,
            f"sqlite:///{database}",
            REDIS_URL=redis_url,
            CELERY_BEAT_SCHEDULE_FILENAME=str(tmp_path / "celerybeat-schedule"),
            **{INTERVAL[framework]: "1"},
        )
        deploy.prepare_production(answers, project, env)
        expired = None
        if framework == "django":
            expired = plant_expired_session(project, env)
            assert expired in session_keys(database)
        worker = start(
            procfile["worker"],
            project,
            env,
            tmp_path / "worker.log",
            r"celery@\S+ ready",
        )
        beat = start(
            procfile["beat"], project, env, tmp_path / "beat.log", r"beat: Starting"
        )
        with worker, beat:
            wait_until(
                lambda: re.search(r"Sending due task", beat.full_output()),
                "beat sent no task",
                beat,
            )
            if framework == "django":
                wait_until(
                    lambda: expired not in session_keys(database),
                    "the expired session is still there",
                    worker,
                    beat,
                )
                assert len(session_keys(database)) == 1, "a live session was deleted"
                assert "Expired sessions cleared" in worker.full_output()
            else:
                wait_until(
                    lambda: (
                        "Heartbeat: beat and the worker are running"
                        in worker.full_output()
                    ),
                    "the worker logged no heartbeat",
                    worker,
                    beat,
                )
