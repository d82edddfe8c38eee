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


{% include "tests/accounts_fixtures.py" %}
{%- endif %}
