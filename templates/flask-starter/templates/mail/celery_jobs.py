def later(function: Callable[..., None], *args: str) -> None:
    """Run the job ``function(*args)`` after this request, in the
    Celery worker."""
    if current_app.testing:
        function(*args)
        return
    run_job.delay(function.__name__, list(args))


@shared_task
def run_job(name: str, args: list[str]) -> None:
    """Run a registered job in the worker (inside the app context)."""
    JOBS[name](*args)
{#- mail.py includes this with Celery: jobs are queued for the Celery worker. -#}
