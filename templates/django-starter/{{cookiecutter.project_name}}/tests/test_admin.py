import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_lives_at_admin_url() -> None:
    assert reverse("admin:index") == f"/{settings.ADMIN_URL}"


def test_admin_needs_a_staff_login(client: Client) -> None:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_index_for_a_superuser(admin_client: Client) -> None:
    assert admin_client.get(reverse("admin:index")).status_code == 200
