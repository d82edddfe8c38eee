"""
URL configuration for {{ cookiecutter.project_name }}.

``/healthz`` and ``/readyz`` are answered by core.health.HealthCheckMiddleware.

https://docs.djangoproject.com/en/{{ cookiecutter.django_version }}/topics/http/urls/
"""

{% if cookiecutter.admin -%}
from django.conf import settings
from django.contrib import admin
{% endif -%}
from django.urls import include, path

urlpatterns = [
    path("", include("{{ cookiecutter.project_slug }}.core.urls")),
{%- if cookiecutter.auth %}
    path("accounts/", include("{{ cookiecutter.project_slug }}.accounts.urls")),
{%- endif %}
{%- if cookiecutter.api == "rest" %}
    path("api/", include("{{ cookiecutter.project_slug }}.api.urls")),
{%- endif %}
{%- if cookiecutter.i18n %}
    path("i18n/", include("django.conf.urls.i18n")),
{%- endif %}
{%- if cookiecutter.admin %}
    path(settings.ADMIN_URL, admin.site.urls),
{%- endif %}
]
