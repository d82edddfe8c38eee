"""Gunicorn settings, read from the project root; command-line flags win.

https://docs.gunicorn.org/en/stable/settings.html
"""

# Load the app once in the master process, so a bad setting (such as a
# missing SECRET_KEY) stops start-up with its one-line message instead of
# failing in every worker, which gunicorn would restart again and again.
preload_app = True
