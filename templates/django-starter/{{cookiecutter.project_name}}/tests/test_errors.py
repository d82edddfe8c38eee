"""Error pages: each status gets the site's layout."""

import pytest
from django.test import Client
from error_pages import ERRORS, error_page


@pytest.mark.urls("error_pages")
@pytest.mark.parametrize("status", ERRORS)
def test_error_pages(client: Client, status: int) -> None:
    html = error_page(client, status)
    assert '<html lang="en">' in html
    assert f"Error {status}" in html
    assert f"<h1>{ERRORS[status][3]}</h1>" in html


@pytest.mark.urls("error_pages")
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
