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

# Periodic tasks, sent by the beat process (`celery beat`, beside the workers): run
# exactly one beat, whatever the number of workers, or each task runs once per beat.
# https://docs.celeryq.dev/en/stable/userguide/periodic-tasks.html
try:
    CLEAR_SESSIONS_EVERY = float(os.environ.get("CLEAR_SESSIONS_EVERY", 60 * 60))
except ValueError:
    sys.exit("CLEAR_SESSIONS_EVERY must be a number of seconds.")
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "core.clear_expired_sessions",
        "schedule": CLEAR_SESSIONS_EVERY,
    },
}
# Where beat records when each task last ran: a writable place outside the code.
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get(
    "CELERY_BEAT_SCHEDULE_FILENAME",
    os.path.join(tempfile.gettempdir(), f"{PACKAGE_DIR.name}-celerybeat-schedule"),
)
{#- settings.py includes this with Celery: Redis as its broker and as the cache. -#}
