import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
{%- if cookiecutter.auth %}
from pytest_django.asserts import assertContains

from {{ cookiecutter.project_slug }}.accounts.models import User
{%- endif %}

pytestmark = pytest.mark.django_db


def test_admin_lives_at_admin_url() -> None:
    assert reverse("admin:index") == f"/{settings.ADMIN_URL}"


def test_admin_needs_a_staff_login(client: Client) -> None:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_index_for_a_superuser(admin_client: Client) -> None:
    assert admin_client.get(reverse("admin:index")).status_code == 200
{%- if cookiecutter.auth %}


def test_admin_lists_users_by_email(admin_client: Client, admin_user: User) -> None:
    url = reverse("admin:accounts_user_changelist")
    assert url == f"/{settings.ADMIN_URL}accounts/user/"
    assertContains(admin_client.get(url), admin_user.email)


def test_admin_adds_a_user(
    admin_client: Client, django_user_model: type[User], password: str
) -> None:
    data = {
        "email": "grace@example.com",
        "usable_password": "true",
        "password1": password,
        "password2": password,
    }
    response = admin_client.post(reverse("admin:accounts_user_add"), data)
    assert response.status_code == 302
    assert django_user_model.objects.filter(email="grace@example.com").exists()
{%- endif %}
