"""{{ cookiecutter.project_name }}: the application factory.

``flask`` finds ``create_app`` here (``FLASK_APP`` in ``.flaskenv``); gunicorn
uses the app that ``wsgi.py`` builds with it.
"""

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from . import devenv


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the environment, then apply ``overrides`` (tests).

    Each feature's module binds its own extensions, settings and pages in its
    ``init_app``.
    """
    if os.environ.get("FLASK_RUN_FROM_CLI") == "true":
        devenv.create_dotenv()  # the flask command in a copy without .env
        if devenv.in_reloader_parent():
            return Flask(__name__)  # never serves: see in_reloader_parent
    # Imported here, so that the reloader's process above loads none of them.
    from werkzeug.middleware.proxy_fix import ProxyFix
    from whitenoise import WhiteNoise

    from . import config, errors, health, main, security, throttling
    from .extensions import csrf
    from .logs import configure_logging

    configure_logging(os.environ.get("LOG_LEVEL", "INFO"))
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(config.from_environ(os.environ, debug=app.debug))
    if overrides:
        app.config.update(overrides)
    config.check(app.config)
{%- if cookiecutter.monitoring == "sentry" %}

{% include "init_app/monitoring.py" %}
{%- endif %}

    # First, so a wrong host or plain HTTP is answered before any other work.
    security.init_app(app)
    csrf.init_app(app)
    throttling.init_app(app)
    app.register_blueprint(main.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(errors.bp)
    csrf.exempt(health.bp)
{%- if cookiecutter.database != "none" %}

{% include "init_app/database.py" %}
{%- endif %}
{%- if cookiecutter.auth %}

{% include "init_app/auth.py" %}
{%- endif %}

{% include "init_app/i18n.py" if cookiecutter.i18n else "init_app/untranslated.py" %}
{%- if cookiecutter.tasks == "celery" %}

{% include "init_app/tasks.py" %}
{%- endif %}
{%- if cookiecutter.api == "rest" %}

{% include "init_app/api.py" %}
{%- endif %}
{%- if cookiecutter.admin %}

{% include "init_app/admin.py" %}
{%- endif %}

    # WhiteNoise serves the static files efficiently, without a web server.
    # Wrapping wsgi_app is how Flask takes WSGI middleware; the stubs see a method.
    app.wsgi_app = WhiteNoise(  # type: ignore[method-assign]
        app.wsgi_app, root=app.static_folder, prefix=app.static_url_path
    )
    proxies = app.config["FORWARDED_PROXIES"]
    if proxies:
        # Behind a proxy that sets X-Forwarded-*: trust that many hops.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )
    # Outermost: the liveness probe is answered before any of the above.
    app.wsgi_app = health.HealthCheck(app, app.wsgi_app)  # type: ignore[method-assign]
    return app
