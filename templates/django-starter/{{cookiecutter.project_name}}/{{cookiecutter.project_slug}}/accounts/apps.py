from typing import Any

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_out
from django.http import HttpRequest


class AccountsConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.accounts"
    label = "accounts"

    def ready(self) -> None:
        user_logged_out.connect(end_sessions_on_logout, dispatch_uid="accounts.end_sessions")


def end_sessions_on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Logging out anywhere logs the user out everywhere: a session cookie
    copied from any browser of theirs stops working too."""
    if user is not None:
        user.end_all_sessions()
