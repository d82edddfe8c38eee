"""The WSGI entry point: ``gunicorn wsgi:app``{% if cookiecutter.tasks == "celery" %}, ``celery -A wsgi:celery_app worker``{% endif %}.

Production reads the real environment only.  The development settings in
``.env`` (``FLASK_DEBUG=1``) are read by the ``flask`` command, and here only
when ``LOAD_DOTENV=1`` is set (a local worker or server you start by hand),
so a ``.env`` left on a server never turns debug on.
"""

import os

from dotenv import load_dotenv

from {{ cookiecutter.project_slug }} import create_app

if os.environ.get("LOAD_DOTENV") == "1":
    load_dotenv()
app = create_app()
{%- if cookiecutter.tasks == "celery" %}
celery_app = app.extensions["celery"]
{%- endif %}
