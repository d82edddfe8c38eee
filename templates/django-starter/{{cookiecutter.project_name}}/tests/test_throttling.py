"""Throttling: the forms that cost something answer 429 past their limit."""

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django import Settings

from {{ cookiecutter.project_slug }}.core.throttling import RATES, client_ip

pytestmark = pytest.mark.django_db

CONTACT = {"name": "Ada", "email": "ada@example.com", "message": "Hello there."}


def allowed(group: str) -> int:
    """How many posts ``RATES[group]`` allows ("5/h" -> 5)."""
    return int(RATES[group].split("/")[0])


def test_contact_form_is_limited_per_client_address(client: Client) -> None:
    for _ in range(allowed("contact")):
        assert client.post(reverse("contact"), CONTACT).status_code == 302
    response = client.post(reverse("contact"), CONTACT)
    assert response.status_code == 429
    assert b"Too many requests" in response.content
    assert len(mail.outbox) == allowed("contact")
    # Another client address is not affected.
    other = client.post(reverse("contact"), CONTACT, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


def test_reading_the_contact_page_is_not_limited(client: Client) -> None:
    for _ in range(allowed("contact") + 2):
        assert client.get(reverse("contact")).status_code == 200


def test_client_address_without_a_proxy_ignores_forwarded_headers(client: Client) -> None:
    for _ in range(allowed("contact")):
        client.post(reverse("contact"), CONTACT)
    forged = client.post(reverse("contact"), CONTACT, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert forged.status_code == 429


def test_client_address_behind_one_proxy(settings: Settings, rf: RequestFactory) -> None:
    settings.FORWARDED_PROXIES = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.1")
    assert client_ip(request) == "198.51.100.1"
