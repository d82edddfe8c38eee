"""Logging: one event a line, tracebacks included."""

import logging
import sys

from {{ cookiecutter.project_slug }}.logs import OneLineFormatter


def test_each_event_is_one_line() -> None:
    formatter = OneLineFormatter("%(levelname)s %(name)s: %(message)s")
    try:
        raise ValueError("boom")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "app", logging.ERROR, __file__, 1, "failed\non two lines\r", None, exc_info
    )
    line = formatter.format(record)
    assert "\n" not in line and "\r" not in line
    assert line.startswith("ERROR app: failed\\non two lines\\r")
    assert "ValueError: boom" in line
