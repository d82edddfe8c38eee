{%- set db = cookiecutter.database != "none" -%}
"""The warm-up that gunicorn's master runs before it forks the workers."""

from collections.abc import Callable

import pytest
{%- if db %}
from database_setup import fresh_tables
{%- endif %}
from flask import Flask

from {{ cookiecutter.project_slug }}.warmup import warm_up


def test_warm_up_compiles_the_pages_without_an_error(
    make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app()
{%- if db %}
    with fresh_tables(app):
        warm_up(app)
{%- else %}
    warm_up(app)
{%- endif %}
    compiled = {name for _, name in app.jinja_env.cache or {}}
    assert {"index.html", "base.html", "error.html"} <= compiled
    assert not [record for record in caplog.records if record.levelname == "ERROR"]


def test_warm_up_survives_a_failing_page(
    make_app: Callable[..., Flask], caplog: pytest.LogCaptureFixture
) -> None:
    """A page that raises (here with PROPAGATE_EXCEPTIONS, as in debug mode)
    is logged as a warning; the server still starts."""
    app = make_app(PROPAGATE_EXCEPTIONS=True)

    @app.before_request
    def broken() -> None:
        raise RuntimeError("not ready")

    warm_up(app)
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert any("Warm-up" in r.getMessage() for r in warnings)
