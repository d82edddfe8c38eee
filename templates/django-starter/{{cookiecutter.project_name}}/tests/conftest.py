import pytest
{%- if cookiecutter.auth %}

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(email="ada@example.com", password=PASSWORD)
{%- endif %}


@pytest.fixture(autouse=True)
def _no_redirect_to_https(settings):
    """The test client speaks plain HTTP; tests of the HTTPS redirect turn it on."""
    settings.SECURE_SSL_REDIRECT = False
