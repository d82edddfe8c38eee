"""Email settings: EMAIL_URL, and where development prints the messages."""

from collections.abc import Callable

import pytest
from flask import Flask

from {{ cookiecutter.project_slug }} import mail
from {{ cookiecutter.project_slug }}.config import ConfigError
from {{ cookiecutter.project_slug }}.mail import send_email


def test_console_email_prints_the_message(
    app: Flask, capsys: pytest.CaptureFixture[str]
) -> None:
    app.config["EMAIL_URL"] = "console://"
    with app.app_context():
        send_email("ada@example.com", "Hello", "A link: https://example.com/x\n")
    printed = capsys.readouterr().out
    assert "To: ada@example.com" in printed
    assert "https://example.com/x" in printed


def test_unknown_email_schemes_are_refused(make_app: Callable[..., Flask]) -> None:
    with pytest.raises(ConfigError, match="EMAIL_URL"):
        make_app(EMAIL_URL="carrier-pigeon://coop")


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """A local relay in production, the console in development."""
    monkeypatch.delenv("EMAIL_URL", raising=False)
    production = Flask(__name__)
    mail.init_app(production)
    assert production.config["EMAIL_URL"] == "smtp://localhost:25"
    development = Flask(__name__)
    development.debug = True
    mail.init_app(development)
    assert development.config["EMAIL_URL"] == "console://"
