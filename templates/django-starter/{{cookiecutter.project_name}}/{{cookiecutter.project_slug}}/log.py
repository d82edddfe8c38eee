"""Log formatting: one event per line, so log collectors keep tracebacks whole."""

import logging


class OneLineFormatter(logging.Formatter):
    """A formatter that folds multi-line messages and tracebacks into one line."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\n", "\\n")
