# Load the Celery app with Django so that @shared_task uses it.
from .celery import app as celery_app

__all__ = ("celery_app",)
{#- __init__.py includes this with Celery: the package loads the Celery app. -#}
