"""The WSGI entry point: ``gunicorn wsgi:app``{% if cookiecutter.tasks == "celery" %}, ``celery -A wsgi:celery_app worker``{% endif %}.

A local ``.env`` is read first, as the ``flask`` command does; in production
there is none and the real environment is used.
"""

from dotenv import load_dotenv

from {{ cookiecutter.project_slug }} import create_app

load_dotenv()
app = create_app()
{%- if cookiecutter.tasks == "celery" %}
celery_app = app.extensions["celery"]
{%- endif %}
