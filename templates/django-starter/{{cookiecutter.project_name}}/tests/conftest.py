from collections.abc import Callable
from html.parser import HTMLParser

import pytest

from {{ cookiecutter.project_slug }}.accounts.models import User

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def user(django_user_model: type[User]) -> User:
    return django_user_model.objects.create_user(email="ada@example.com", password=PASSWORD)


class InputParser(HTMLParser):
    """Collects the attributes of each ``<input>`` of a page, by its name."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: dict[str, dict[str, str | None]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "input":
            found = dict(attrs)
            self.inputs[found.get("name") or ""] = found


def autocomplete_values(html: str) -> dict[str, str | None]:
    """Input name -> its autocomplete attribute (None when it has none)."""
    parser = InputParser()
    parser.feed(html)
    return {name: found.get("autocomplete") for name, found in parser.inputs.items()}


@pytest.fixture
def autocomplete() -> Callable[[str], dict[str, str | None]]:
    """What a browser or password manager reads to fill each field of a page."""
    return autocomplete_values
