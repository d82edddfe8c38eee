    from . import monitoring

    monitoring.init_app(app)  # first: the rest of the setup runs with reporting on
{#- __init__.py includes this with Sentry, before every other feature. -#}
