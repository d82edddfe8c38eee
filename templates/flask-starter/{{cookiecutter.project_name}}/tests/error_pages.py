"""The request that gets each error status, a client whose app fails on
purpose, and the checks every error page passes."""

from collections.abc import Callable

from flask import Flask, abort
from flask.testing import FlaskClient

# The request that gets each status, and the page's title.
ERRORS = {
    400: ("GET", "/", {"Host": "evil.example"}, "Bad request"),
    403: ("GET", "/test/fail/403", {}, "Forbidden"),
    404: ("GET", "/no-such-page", {}, "Page not found"),
    405: ("DELETE", "/", {}, "Method not allowed"),
    429: ("GET", "/test/fail/429", {}, "Too many requests"),
    500: ("GET", "/test/fail/500", {}, "Server error"),
}


def failing_pages(app: Flask) -> None:
    """Add a page that fails with the status it is given (before the app's
    first request: routes cannot be added once one has served)."""

    @app.get("/test/fail/<int:status>")
    def fail(status: int) -> str:
        if status == 500:
            raise RuntimeError("broken on purpose")
        abort(status)


def failing_client(app_with: Callable[..., Flask]) -> FlaskClient:
    """A client of an app with the failing page, that answers errors as in
    production (``app_with``: the fixture)."""
    return app_with(prepare=failing_pages, PROPAGATE_EXCEPTIONS=False).test_client()


def error_page(client: FlaskClient, status: int, **headers: str) -> str:
    """The page answered for ``status``, checked to be the site's styled HTML page."""
    method, path, extra, _ = ERRORS[status]
    response = client.open(path, method=method, headers={**extra, **headers})
    assert response.status_code == status
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<link rel="stylesheet" href="/static/style.css">' in html
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    return html
