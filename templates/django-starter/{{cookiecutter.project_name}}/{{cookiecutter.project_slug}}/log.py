"""Log formatting: one event per line, so log collectors keep tracebacks whole."""

import logging


class OneLineFormatter(logging.Formatter):
    """A formatter that folds multi-line messages and tracebacks into one line."""

    def format(self, record: logging.LogRecord) -> str:
        # A carriage return too: a terminal would let text after it overwrite
        # the start of the line, hiding what was logged there.
        line = super().format(record)
        return line.replace("\r", "\\r").replace("\n", "\\n")
