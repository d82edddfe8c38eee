"""Error pages: each status gets the site's layout."""

from collections.abc import Callable

import pytest
from error_pages import ERRORS, error_page, failing_client
from flask import Flask
from flask.testing import FlaskClient


@pytest.mark.parametrize("status", ERRORS)
def test_error_pages(app_with: Callable[..., Flask], status: int) -> None:
    html = error_page(failing_client(app_with), status)
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
