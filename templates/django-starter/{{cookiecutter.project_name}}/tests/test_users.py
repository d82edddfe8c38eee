"""Email addresses: one account per mailbox, whatever the case it is typed in."""

import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from {{ cookiecutter.project_slug }}.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


def test_addresses_are_stored_in_lower_case() -> None:
    user = User.objects.create_user(email="Ada.Lovelace@Example.COM", password=PASSWORD)
    user.refresh_from_db()
    assert user.email == "ada.lovelace@example.com"


def test_saving_stores_the_address_in_lower_case() -> None:
    user = User.objects.create_user(email="ada@example.com", password=PASSWORD)
    user.email = "Grace@Example.com"
    user.save()
    user.refresh_from_db()
    assert user.email == "grace@example.com"


def test_the_database_refuses_an_address_differing_only_by_case() -> None:
    User.objects.create_user(email="admin@example.com", password=PASSWORD)
    other = User.objects.create_user(email="other@example.com", password=PASSWORD)
    # update() skips the model's own cleaning: only the database can refuse it.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=other.pk).update(email="ADMIN@example.com")


def test_login_lookup_ignores_case() -> None:
    user = User.objects.create_user(email="ada@example.com", password=PASSWORD)
    assert User.objects.get_by_natural_key("ADA@Example.com") == user


def test_a_case_variant_logs_in(rf: RequestFactory) -> None:
    user = User.objects.create_user(email="ada@example.com", password=PASSWORD)
    request = rf.post("/")
    assert authenticate(request, username="ADA@EXAMPLE.COM", password=PASSWORD) == user
