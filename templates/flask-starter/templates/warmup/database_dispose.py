    with app.app_context():
        # No connection may cross the fork: each worker opens its own.
        db.engine.dispose()
{#- warmup.py includes this at the end of warm_up with a database: the master closes its connections before the fork. -#}
