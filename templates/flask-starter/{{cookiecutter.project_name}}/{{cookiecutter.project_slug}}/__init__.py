{%- set db = cookiecutter.database != "none" -%}
"""{{ cookiecutter.project_name }}: the application factory.

``flask`` finds ``create_app`` here (``FLASK_APP`` in ``.flaskenv``); gunicorn
uses the app that ``wsgi.py`` builds with it.
"""

import os
from collections.abc import Mapping
{% if db -%}
from pathlib import Path
{% endif -%}
from typing import Any

from flask import Flask
{%- if not cookiecutter.i18n %}
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup
{%- endif %}
from werkzeug.middleware.proxy_fix import ProxyFix
from whitenoise import WhiteNoise

{%- set modules = ["config", "devenv", "errors", "health", "main", "security"] -%}
{%- if cookiecutter.admin %}{% set modules = modules + ["admin"] %}{% endif -%}
{%- if cookiecutter.auth %}{% set modules = modules + ["auth"] %}{% endif -%}
{%- if cookiecutter.i18n %}{% set modules = modules + ["i18n"] %}{% endif -%}
{%- if cookiecutter.tasks == "celery" %}{% set modules = modules + ["tasks"] %}{% endif -%}
{%- set extensions = ["csrf"] -%}
{%- if db %}{% set extensions = extensions + ["db"] %}{% endif -%}
{%- if cookiecutter.auth %}{% set extensions = extensions + ["login_manager"] %}{% endif %}

from . import {{ modules | sort | join(", ") }}
from .extensions import {{ extensions | sort | join(", ") }}
from .logs import configure_logging


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the environment, then apply ``overrides`` (tests)."""
    if os.environ.get("FLASK_RUN_FROM_CLI") == "true":
        devenv.create_dotenv()  # the flask command in a copy without .env
    configure_logging(os.environ.get("LOG_LEVEL", "INFO"))
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(config.from_environ(os.environ, debug=app.debug))
    if overrides:
        app.config.update(overrides)
    config.check(app.config)
{%- if db %}
    app.config.setdefault(
        "SQLALCHEMY_DATABASE_URI",
        config.database_url(app.config["DATABASE_URL"], app.instance_path),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
{%- endif %}

    # First, so a wrong host or plain HTTP is answered before any other work.
    security.init_app(app)
    csrf.init_app(app)
{%- if db %}
    db.init_app(app)
    # Migrations run with the flask command (flask db); a web server does not.
    if os.environ.get("FLASK_RUN_FROM_CLI") == "true" or app.testing:
        init_migrations(app)
{%- endif %}
{%- if cookiecutter.auth %}
    login_manager.init_app(app)
{%- endif %}
{%- if cookiecutter.i18n %}
    i18n.init_app(app)
{%- else %}
    # Templates mark their text with _() so a translation catalog can be added
    # later; until then the text is shown as written.
    app.jinja_env.add_extension("jinja2.ext.i18n")
    # The i18n extension adds this method, which the stubs do not declare.
    app.jinja_env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    # _() is called dozens of times a page: a direct function is cheaper.
    app.jinja_env.globals.update(_=text_as_written, gettext=text_as_written)
{%- endif %}
{%- if cookiecutter.tasks == "celery" %}
    tasks.init_app(app)
{%- endif %}

    app.register_blueprint(main.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(errors.bp)
{%- if cookiecutter.auth %}
    app.register_blueprint(auth.bp)
{%- endif %}
{%- if cookiecutter.i18n %}
    app.register_blueprint(i18n.bp)
{%- endif %}
{%- if cookiecutter.admin %}
    admin.init_app(app)
{%- endif %}
    csrf.exempt(health.bp)

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
    return app
{%- if db %}


def init_migrations(app: Flask) -> None:
    """Bind Flask-Migrate, which ``flask db`` (and the tests) use.

    Imported here: Flask-Migrate loads Alembic, about 11 MB that a process of
    the web server would hold without ever using it.
    """
    from flask_migrate import Migrate

    Migrate(
        app,
        db,
        directory=str(Path(app.root_path).parent / "migrations"),
        # SQLite cannot alter tables in place; batch mode copies them.
        render_as_batch=app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"),
    )
{%- endif %}
{%- if not cookiecutter.i18n %}


@pass_eval_context
def text_as_written(eval_ctx: EvalContext, text: str, **variables: Any) -> str:
    """``_()`` in templates while there is no catalog: the text as written,
    with ``%(name)s`` filled in, as the i18n extension's newstyle gettext
    gives it (escaped in HTML), without its lookups on every call."""
    if eval_ctx.autoescape:
        # The text is the template's own source, trusted like the rest of it.
        text = Markup(text)  # noqa: S704  # nosec B704
    if not variables and "%" not in text:
        return text
    return text % variables
{%- endif %}
