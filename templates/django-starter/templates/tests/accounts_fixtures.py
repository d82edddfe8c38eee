@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def user(django_user_model: type[User]) -> User:
    """An account whose address is verified."""
    return django_user_model.objects.create_user(
        email="ada@example.com", password=PASSWORD, email_verified=True
    )
{#- tests/conftest.py includes this with auth: a password and a verified account for the tests. -#}
