from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "{{ cookiecutter.project_slug }}.api"
    verbose_name = "API"

    def ready(self) -> None:
        # Registers the bearer token's description with drf-spectacular.
        from . import schema  # noqa: F401
