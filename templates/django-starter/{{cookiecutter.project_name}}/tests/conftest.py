from collections.abc import Iterator

import pytest
from django.core.cache import cache
{%- if cookiecutter.auth %}

from {{ cookiecutter.project_slug }}.accounts.models import User

PASSWORD = "correct-horse-battery-staple"
{%- endif %}


@pytest.fixture(autouse=True)
def throttling_starts_afresh() -> Iterator[None]:
    """Each test starts with no posts counted against its client."""
    cache.clear()
    yield
    cache.clear()
{%- if cookiecutter.auth %}


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def user(django_user_model: type[User]) -> User:
    """An account whose address is verified."""
    return django_user_model.objects.create_user(
        email="ada@example.com", password=PASSWORD, email_verified=True
    )
{%- endif %}
