import pytest

from {{ cookiecutter.project_slug }}.accounts.models import User

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def user(django_user_model: type[User]) -> User:
    return django_user_model.objects.create_user(email="ada@example.com", password=PASSWORD)
