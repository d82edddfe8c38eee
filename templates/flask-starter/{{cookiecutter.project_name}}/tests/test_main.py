{%- set db = cookiecutter.database != "none" -%}
"""The home page and its example form."""

from collections.abc import Callable

from flask.testing import FlaskClient


def test_home_page(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b"<h1>Welcome</h1>" in response.data
    assert b'name="author"' in response.data
    assert b'name="body"' in response.data


def test_home_page_is_marked_as_the_page_to_replace(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "This is the start page: replace it with your own." in html
    assert "{{ cookiecutter.project_slug }}/templates/index.html" in html
    # What the project holds, and where to read more.
    assert "{{ cookiecutter.project_slug }}/config.py" in html
    assert "https://flask.palletsprojects.com/en/stable/" in html
{%- if db %}
    assert "flask db upgrade" in html
{%- endif %}
{%- if cookiecutter.auth %}
    assert "{{ cookiecutter.project_slug }}/auth.py" in html
{%- endif %}
{%- if cookiecutter.admin %}
    assert "flask create-admin" in html
{%- endif %}
{%- if cookiecutter.tasks == "celery" %}
    assert "celery -A wsgi:celery_app worker" in html
{%- endif %}
{%- if cookiecutter.hosting.docker %}
    assert "docker compose up --build" in html
{%- endif %}


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
