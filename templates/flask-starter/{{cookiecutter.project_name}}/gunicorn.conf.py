"""Gunicorn settings, read from the project root; command-line flags win.

Docs: https://docs.gunicorn.org/en/stable/settings.html
"""

import functools
import gc
import os
import re
from datetime import timedelta
from typing import Any

from gunicorn.glogging import Logger

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# One line a request on stdout, next to the app's own log.
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
errorlog = "-"
# Load the app once in the master process, so a bad setting (such as a
# missing SECRET_KEY) stops start-up with one message instead of
# failing in every worker.
preload_app = True


def when_ready(server: Any) -> None:
    """Before the workers are forked: answer the main pages once, so the
    workers share what first requests build (see the project's warmup.py),
    then keep the loaded app out of the garbage collector's passes, which
    would write to every object and so copy, in each worker, the memory it
    shares with this process."""
    from {{ cookiecutter.project_slug }}.warmup import warm_up

    warm_up(server.app.wsgi())
    gc.freeze()


@functools.cache
def fields(log_format: str) -> frozenset[str]:
    return frozenset(re.findall(r"%\((\w+)\)", log_format))


class AccessLogger(Logger):
    """gunicorn's logger, building only the fields this access log shows.

    gunicorn's own ``atoms`` builds some twenty fields and copies every header
    for each request; a format that uses others gets them all as before.
    """

    QUICK_FIELDS = frozenset("hrsbMa")

    def atoms(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta
    ) -> dict[str, Any]:
        if not fields(self.cfg.access_log_format) <= self.QUICK_FIELDS:
            return dict(super().atoms(resp, req, environ, request_time))
        method, uri = environ["REQUEST_METHOD"], environ["RAW_URI"]
        sent = getattr(resp, "sent", None)
        return {
            "h": environ.get("REMOTE_ADDR", "-"),
            "r": f"{method} {uri} {environ['SERVER_PROTOCOL']}",
            "s": str(resp.status).split(None, 1)[0],
            "b": str(sent) if sent is not None else "-",
            "M": request_time.seconds * 1000 + request_time.microseconds // 1000,
            "a": environ.get("HTTP_USER_AGENT", "-"),
        }


logger_class = AccessLogger
