"""Error pages: each status gets the site's layout{% if cookiecutter.i18n %}, in the visitor's language{% endif %}."""

from collections.abc import Callable

import pytest
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


@pytest.fixture
def failing(make_app: Callable[..., Flask]) -> FlaskClient:
    """A client for an app with a route that fails with the status it is given."""
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/test/fail/<int:status>")
    def fail(status: int) -> str:
        if status == 500:
            raise RuntimeError("broken on purpose")
        abort(status)

    return app.test_client()


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


@pytest.mark.parametrize("status", ERRORS)
def test_error_pages(failing: FlaskClient, status: int) -> None:
    html = error_page(failing, status)
    assert '<html lang="en">' in html
    assert f"Error {status}" in html
    assert f"<h1>{ERRORS[status][3]}</h1>" in html


def test_method_not_allowed_keeps_the_allow_header(client: FlaskClient) -> None:
    response = client.delete("/")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_favicon_address_leads_to_the_icon(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response.headers["Location"] == "/static/favicon.svg"
    with client.get(response.headers["Location"]) as icon:
        assert icon.status_code == 200
        assert icon.mimetype == "image/svg+xml"
{%- if cookiecutter.i18n %}


FRENCH_TITLES = {
    400: "Requête incorrecte",
    403: "Accès refusé",
    404: "Page introuvable",
    405: "Méthode non autorisée",
    429: "Trop de requêtes",
    500: "Erreur du serveur",
}


@pytest.mark.parametrize("status", ERRORS)
def test_error_pages_in_french(failing: FlaskClient, status: int) -> None:
    html = error_page(failing, status, **{"Accept-Language": "fr"})
    assert '<html lang="fr">' in html
    assert f"Erreur {status}" in html
    assert f"<h1>{FRENCH_TITLES[status]}</h1>" in html
{%- endif %}
