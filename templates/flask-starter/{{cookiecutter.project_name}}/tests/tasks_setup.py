"""Celery in the tests: each task runs in the test process, without a broker."""

#: ``CELERY`` of the test apps: tasks run when called, and raise their errors.
EAGER_CELERY = {
    "broker_url": "memory://",
    "task_always_eager": True,
    "task_eager_propagates": True,
}
