{%- set db = cookiecutter.database != "none" -%}
"""The home page, its example form and the error pages."""

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient


def test_home_page(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b"<h1>Welcome</h1>" in response.data
    assert b'name="author"' in response.data
    assert b'name="body"' in response.data


def test_message_fields_say_what_to_autofill(
    client: FlaskClient, autocomplete: Callable[[str], dict[str, str | None]]
) -> None:
    assert autocomplete(client.get("/").get_data(as_text=True))["author"] == "name"


def test_send_message(client: FlaskClient) -> None:
    response = client.post(
        "/", data={"author": "Ada", "body": "Hello there"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert b"your message was received" in response.data
{%- if db %}
    assert b"Hello there" in response.data
{%- endif %}


def test_message_form_errors(client: FlaskClient) -> None:
    response = client.post("/", data={"author": "", "body": ""})
    assert response.status_code == 200
    assert b'aria-invalid="true"' in response.data
    assert b"This field is required." in response.data
{%- if db %}
    assert b"No messages yet." in response.data
{%- endif %}


def test_static_stylesheet(client: FlaskClient) -> None:
    with client.get("/static/style.css") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/css"


def test_not_found_page(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Page not found" in response.data


def test_server_error_page(app: Flask) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/broken")
    def broken() -> str:
        raise RuntimeError("broken on purpose")

    response = app.test_client().get("/broken")
    assert response.status_code == 500
    assert b"Server error" in response.data
