    from . import database

    database.init_app(app)
{#- __init__.py includes this with a database: the engine, the session and the migrations. -#}
