"""Error pages: each status gets the site's layout{% if cookiecutter.i18n %}, in the visitor's language{% endif %}."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def throttled(request: HttpRequest) -> HttpResponse:
    # What a rate limit answers: the status alone; ErrorPageMiddleware adds the page.
    return HttpResponse(status=429)


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("broken on purpose")


# The project's URLs plus views that fail on purpose (the tests below use
# this module as their URLconf).
urlpatterns = [
    path("test/forbidden/", forbidden),
    path("test/throttled/", throttled),
    path("test/broken/", broken),
    path("", include("{{ cookiecutter.project_slug }}.urls")),
]

# The request that gets each status, and the page's title.
ERRORS = {
    400: ("get", "/", {"HTTP_HOST": "evil.example"}, "Bad request"),
    403: ("get", "/test/forbidden/", {}, "Forbidden"),
    404: ("get", "/no-such-page/", {}, "Page not found"),
    405: ("delete", "/", {}, "Method not allowed"),
    429: ("get", "/test/throttled/", {}, "Too many requests"),
    500: ("get", "/test/broken/", {}, "Server error"),
}


def error_page(client: Client, status: int, **headers: str) -> str:
    """The page answered for ``status``, checked to be the site's styled HTML page."""
    method, url, extra, _ = ERRORS[status]
    client.raise_request_exception = False
    response: HttpResponse = getattr(client, method)(url, **extra, **headers)
    assert response.status_code == status
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    return html


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("status", ERRORS)
def test_error_pages(client: Client, status: int) -> None:
    html = error_page(client, status)
    assert '<html lang="en">' in html
    assert f"Error {status}" in html
    assert f"<h1>{ERRORS[status][3]}</h1>" in html


@pytest.mark.urls(__name__)
def test_method_not_allowed_keeps_the_allow_header(client: Client) -> None:
    response = client.delete("/")
    assert response.status_code == 405
    assert "GET" in response["Allow"]


def test_form_without_csrf_token_gets_the_expired_form_page() -> None:
    response = Client(enforce_csrf_checks=True).post("/contact/", {"name": "Ada"})
    assert response.status_code == 403
    assert "<h1>The form has expired</h1>" in response.content.decode()


def test_favicon_address_leads_to_the_icon(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"
{%- if cookiecutter.i18n %}


FRENCH_TITLES = {
    400: "Requête incorrecte",
    403: "Accès refusé",
    404: "Page introuvable",
    405: "Méthode non autorisée",
    429: "Trop de requêtes",
    500: "Erreur du serveur",
}


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("status", ERRORS)
def test_error_pages_in_french(client: Client, status: int) -> None:
    html = error_page(client, status, HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="fr">' in html
    assert f"Erreur {status}" in html
    assert f"<h1>{FRENCH_TITLES[status]}</h1>" in html
{%- endif %}
