"""
ASGI config for {{ cookiecutter.project_name }}.

https://docs.djangoproject.com/en/{{ cookiecutter.django_version }}/howto/deployment/asgi/
"""

import os

from django.core.asgi import get_asgi_application

{% if cookiecutter.project_slug | length <= 40 -%}
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{{ cookiecutter.project_slug }}.settings")
{%- else -%}
os.environ.setdefault(
    "DJANGO_SETTINGS_MODULE", "{{ cookiecutter.project_slug }}.settings"
)
{%- endif %}

application = get_asgi_application()
