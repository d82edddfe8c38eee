"""Settings from the environment, and refusing to start without them."""

import pytest

from {{ cookiecutter.project_slug }} import create_app
from {{ cookiecutter.project_slug }}.config import ConfigError


def test_testing_flag() -> None:
    assert not create_app({"SECRET_KEY": "x"}).testing
    assert create_app({"SECRET_KEY": "x", "TESTING": True}).testing


def test_secret_key_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert create_app().secret_key == "from-the-environment"


@pytest.mark.parametrize("value", [None, ""])
def test_production_needs_secret_key(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", value)
    with pytest.raises(ConfigError, match="SECRET_KEY") as error:
        create_app()
    assert "\n" not in str(error.value)


def test_debug_runs_without_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app = create_app()
    assert app.debug
    assert app.secret_key


def test_bad_forwarded_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORWARDED_PROXIES", "some")
    with pytest.raises(ConfigError, match="FORWARDED_PROXIES"):
        create_app({"SECRET_KEY": "x"})
