"""The admin's user pages (the project has accounts and the admin)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from {{ cookiecutter.project_slug }}.accounts.models import User

pytestmark = pytest.mark.django_db


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


def test_admin_refuses_an_email_differing_only_by_case(
    admin_client: Client, admin_user: User, django_user_model: type[User], password: str
) -> None:
    other = django_user_model.objects.create_user(email="other@example.com", password=password)
    url = reverse("admin:accounts_user_change", args=[other.pk])
    data = {
        "email": admin_user.email.upper(),
        "is_active": "on",
        "date_joined_0": other.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": other.date_joined.strftime("%H:%M:%S"),
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["email"]
    other.refresh_from_db()
    assert other.email == "other@example.com"
