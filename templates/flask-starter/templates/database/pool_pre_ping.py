    # A pooled connection the server closed (a restart, an idle timeout) is
    # found by one round trip (~0.1 ms) instead of an error page.
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
{#- database.py includes this in init_app with PostgreSQL or MySQL: pooled connections are checked before use. -#}
