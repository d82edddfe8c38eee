# Cache: files shared by the server's workers (the throttling counts).
# Increments are not atomic, so posts racing each other may be counted
# once: a limit holds approximately. With Redis (Celery) they are exact.
# https://docs.djangoproject.com/en/{{ cookiecutter.django_version }}/topics/cache/#filesystem-caching

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "data" / "cache")),
        "OPTIONS": {"MAX_ENTRIES": 10000},
    }
}
{#- settings.py includes this without Celery (no Redis): a cache the workers share on the server's disk. -#}
