    from . import tasks

    tasks.init_app(app)
{#- __init__.py includes this with Celery: the Celery app bound to this Flask app. -#}
