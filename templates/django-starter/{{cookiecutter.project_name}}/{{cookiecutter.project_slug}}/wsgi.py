"""
WSGI config for {{ cookiecutter.project_name }}: gunicorn serves ``application``.

https://docs.djangoproject.com/en/{{ cookiecutter.django_version }}/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

{% if cookiecutter.project_slug | length <= 40 -%}
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{{ cookiecutter.project_slug }}.settings")
{%- else -%}
os.environ.setdefault(
    "DJANGO_SETTINGS_MODULE", "{{ cookiecutter.project_slug }}.settings"
)
{%- endif %}

application = get_wsgi_application()
