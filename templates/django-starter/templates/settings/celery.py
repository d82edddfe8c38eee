# Redis: Celery's broker and the cache.

REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")

# https://docs.djangoproject.com/en/{{ cookiecutter.django_version }}/topics/cache/
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
}

# https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
{#- settings.py includes this with Celery: Redis as its broker and as the cache. -#}
