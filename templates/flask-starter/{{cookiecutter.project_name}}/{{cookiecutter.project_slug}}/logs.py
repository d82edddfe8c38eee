"""Logging: one place, configured before the app exists, one event a line."""

import functools
import logging
from logging.config import dictConfig


class OneLineFormatter(logging.Formatter):
    """Keep each event on one line (tracebacks included) for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        # A carriage return too: a terminal would let text after it overwrite
        # the start of the line, hiding what was logged there.
        line = super().format(record)
        return line.replace("\r", "\\r").replace("\n", "\\n")


@functools.cache
def configure_logging(level: str = "INFO") -> None:
    """Send every log record to stdout; runs once per process."""
    dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {
                "line": {
                    "()": OneLineFormatter,
                    "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
                }
            },
            "handlers": {
                "stdout": {
                    "class": "logging.StreamHandler",
                    "stream": "ext://sys.stdout",
                    "formatter": "line",
                }
            },
            "root": {"level": level.upper(), "handlers": ["stdout"]},
        }
    )
