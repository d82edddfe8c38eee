{%- set db = cookiecutter.database != "none" -%}
"""Answering the main pages once in gunicorn's master process, before it
forks the workers (``when_ready`` in ``gunicorn.conf.py``).

A process's first requests compile the templates and the URL map's matcher,
import what the pages use and fill the libraries' caches.  Done once in the
master, that memory is shared by every worker (copy-on-write) instead of
being built again in each one: with two workers about 9 MiB less in all.
"""

from flask import Flask
{%- if db %}

from .database import database_ready, db
{%- endif %}

#: The pages to answer: the home page{% if cookiecutter.auth %}, the login page{% endif %} and an error page.
PAGES = ["/",{% if cookiecutter.auth %} "/auth/login",{% endif %} "/no-such-page"]


def warm_up(app: Flask) -> None:
    """GET each of ``PAGES`` with a host name the app serves, over HTTPS."""
    hosts = app.config["ALLOWED_HOSTS"]
    base_url = f"https://{hosts[0].lstrip('.') if hosts else 'localhost'}"
    pages = PAGES
{%- if db %}
{% include "warmup/database_not_ready.py" %}
{%- endif %}
    client = app.test_client()
    for page in pages:
        try:
            client.get(page, base_url=base_url)
        except Exception:  # the server starts whatever a page does here
            # A page that fails now (tables not migrated yet, or a debug app
            # raising its error) fails in the workers too, where it is
            # answered and logged as usual.
            app.logger.warning("Warm-up: %s failed", page, exc_info=True)
{%- if db %}
{% include "warmup/database_dispose.py" %}
{%- endif %}
