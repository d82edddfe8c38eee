"""Logging: one event a line, whatever the message holds."""

import logging
import sys

from {{ cookiecutter.project_slug }}.log import OneLineFormatter


def test_line_breaks_and_tracebacks_stay_on_the_line() -> None:
    formatter = OneLineFormatter("%(levelname)s %(name)s: %(message)s")
    try:
        raise ValueError("boom")
    except ValueError:
        exc_info = sys.exc_info()
    message = "login failed for x\rINFO ok\nsecond line"
    record = logging.LogRecord("app", logging.WARNING, __file__, 1, message, None, exc_info)
    line = formatter.format(record)
    assert "\n" not in line and "\r" not in line
    assert line.startswith("WARNING app: login failed for x\\rINFO ok\\nsecond line")
    assert "ValueError: boom" in line
