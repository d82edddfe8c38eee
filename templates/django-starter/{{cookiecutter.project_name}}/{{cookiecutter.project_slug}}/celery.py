"""The Celery app: configured from Django settings named ``CELERY_*``.

Start a worker with:

    celery -A {{ cookiecutter.project_slug }} worker --loglevel=info
"""

import os

from celery import Celery

{% if cookiecutter.project_slug | length <= 40 -%}
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{{ cookiecutter.project_slug }}.settings")
{%- else -%}
os.environ.setdefault(
    "DJANGO_SETTINGS_MODULE", "{{ cookiecutter.project_slug }}.settings"
)
{%- endif %}

app = Celery("{{ cookiecutter.project_slug }}")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
