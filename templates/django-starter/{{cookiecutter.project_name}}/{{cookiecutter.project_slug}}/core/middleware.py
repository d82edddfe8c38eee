from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

# Statuses that Django (or a view) answers with an empty body, and their pages.
ERROR_TEMPLATES = {405: "405.html", 429: "429.html"}


class ErrorPageMiddleware:
    """Give empty 405 and 429 responses the site's error page.

    Django's handlers render 400.html, 403.html, 404.html and 500.html
    themselves, but a view refusing a method (405) and a rate limit turning a
    request away (429) answer with the status alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        template = ERROR_TEMPLATES.get(response.status_code)
        empty = not response.streaming and not response.content
        if template and empty and request.method != "HEAD":
            response.content = render_to_string(template, request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response
