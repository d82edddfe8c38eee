def default_storage(app: Flask) -> str:
    """The Redis server that Celery uses (``REDIS_URL``)."""
    return os.environ.get("REDIS_URL") or "redis://localhost:6379/0"
{#- throttling.py includes this with Celery: the counters are kept in its Redis. -#}
