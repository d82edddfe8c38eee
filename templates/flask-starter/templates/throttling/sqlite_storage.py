def default_storage(app: Flask) -> str:
    """A SQLite file in the instance folder (see ``SQLiteStorage``).

    Every worker of this machine opens it.  On several machines, point
    ``RATELIMIT_STORAGE_URI`` at a server they share (``redis://host:6379/0``,
    with the ``redis`` package).
    """
    return f"sqlite:///{Path(app.instance_path) / 'ratelimits.sqlite3'}"
{#- throttling.py includes this without Celery: the counters are kept in a SQLite file. -#}
