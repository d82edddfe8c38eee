    from . import api

    api.init_app(app)
{#- __init__.py includes this with the REST API: its blueprint and document. -#}
