from django.apps import AppConfig
from django.core import signals

from . import outbox


class CoreConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.core"

    def ready(self) -> None:
        # Email queued during a request goes out after its response.
        signals.request_started.connect(outbox.request_started, dispatch_uid="outbox.started")
        signals.request_finished.connect(outbox.request_finished, dispatch_uid="outbox.finished")
