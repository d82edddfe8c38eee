import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from test_settings import INLINE

from {{ cookiecutter.project_slug }}.accounts.models import User

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "admin:index",
    "admin:password_change",
{%- if cookiecutter.auth %}
    "admin:accounts_user_changelist",
    "admin:accounts_user_add",
{%- endif %}
]


def test_admin_lives_at_admin_url() -> None:
    assert reverse("admin:index") == f"/{settings.ADMIN_URL}"


def test_admin_needs_a_staff_login(client: Client) -> None:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_index_for_a_superuser(admin_client: Client) -> None:
    assert admin_client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_works_under_the_content_security_policy(admin_client: Client, name: str) -> None:
    """The admin's pages carry the site's policy and need nothing it blocks."""
    response = admin_client.get(reverse(name))
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert not INLINE.findall(response.content.decode())


def test_failed_admin_logins_lock_the_account() -> None:
    User.objects.create_superuser(email="admin@example.com", password="a-long-admin-passphrase")
    url = reverse("admin:login")
    data = {"username": "admin@example.com", "password": "wrong"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert Client().post(url, data).status_code == 200
    assert Client().post(url, data).status_code == 429
    data = {"username": "admin@example.com", "password": "a-long-admin-passphrase"}
    response = Client().post(url, data, REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 429
