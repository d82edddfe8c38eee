from html.parser import HTMLParser

from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from pytest_django import Settings
from pytest_django.asserts import assertContains, assertRedirects

CONTACT = {"name": "Ada", "email": "ada@example.com", "message": "Hello there."}


class InputParser(HTMLParser):
    """Collects the attributes of each ``<input>`` of a page, by its name."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: dict[str, dict[str, str | None]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "input":
            found = dict(attrs)
            self.inputs[found.get("name") or ""] = found


def autocomplete_values(html: str) -> dict[str, str | None]:
    """Input name -> its autocomplete attribute (None when it has none)."""
    parser = InputParser()
    parser.feed(html)
    return {name: found.get("autocomplete") for name, found in parser.inputs.items()}


def test_home_page(client: Client) -> None:
    response = client.get(reverse("home"))
    assertContains(response, "Your new Django project is up and running.")
    assertContains(response, reverse("contact"))
    assertContains(response, "/static/css/site.css")


def test_home_page_is_marked_as_the_page_to_replace(client: Client) -> None:
    response = client.get(reverse("home"))
    assertContains(response, "This is the start page: replace it with your own.")
    assertContains(response, "{{ cookiecutter.project_slug }}/templates/core/home.html")
    # What the project holds, and where to read more.
    assertContains(response, "{{ cookiecutter.project_slug }}/settings.py")
    assertContains(response, "https://docs.djangoproject.com/en/{{ cookiecutter.django_version }}/")
{%- if cookiecutter.auth %}
    assertContains(response, "{{ cookiecutter.project_slug }}/accounts/")
{%- endif %}
{%- if cookiecutter.admin %}
    assertContains(response, "python manage.py createsuperuser")
{%- endif %}
{%- if cookiecutter.tasks == "celery" %}
    assertContains(response, "celery -A {{ cookiecutter.project_slug }} worker")
{%- endif %}
{%- if cookiecutter.hosting.docker %}
    assertContains(response, "docker compose up --build")
{%- endif %}


def test_contact_fields_say_what_to_autofill(client: Client) -> None:
    fields = autocomplete_values(client.get(reverse("contact")).content.decode())
    assert fields["name"] == "name"
    assert fields["email"] == "email"


def test_contact_form_shows_errors(client: Client) -> None:
    response = client.post(reverse("contact"), {"name": "", "email": "not-an-email", "message": ""})
    assertContains(response, "errorlist")
    assertContains(response, "Enter a valid email address.")
    assert not mail.outbox


def test_contact_form_sends_message(client: Client, settings: Settings) -> None:
    settings.CONTACT_EMAIL = "team@example.com"
    response = client.post(reverse("contact"), CONTACT, follow=True)
    assertRedirects(response, reverse("contact"))
    assertContains(response, "Thank you, your message has been sent.")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["team@example.com"]
    assert mail.outbox[0].reply_to == ["ada@example.com"]
    assert "Hello there." in mail.outbox[0].body


def test_contact_form_needs_csrf_token() -> None:
    response = Client(enforce_csrf_checks=True).post(reverse("contact"), CONTACT)
    assert response.status_code == 403
    assert not mail.outbox


def test_500_template_renders_without_a_request() -> None:
    assert "<h1>Server error</h1>" in render_to_string("500.html")
{%- if not cookiecutter.auth %}


{% include "tests/no_account_pages.py" %}
{%- endif %}
{%- if not cookiecutter.admin %}


{% include "tests/no_admin_site.py" %}
{%- endif %}
