"""Views that fail on purpose beside the project's URLs, and the page each
error status gets: the error page tests take this module as their URLconf
(``@pytest.mark.urls("error_pages")``)."""

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


# The project's URLs plus the views above.
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
