"""Gunicorn settings, read from the project root; command-line flags win.

Docs: https://docs.gunicorn.org/en/stable/settings.html
"""

import os

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
