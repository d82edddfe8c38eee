# Tasks run in the test process, at once, and their errors propagate.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
{#- test_settings.py includes this with Celery: tasks run in the test process. -#}
