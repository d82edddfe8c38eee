def later(function: Callable[..., None], *args: str) -> None:
    """Run the job ``function(*args)`` after this request."""
    if current_app.testing:
        function(*args)
        return
    # The app itself, not the proxy: the thread outlives this request.
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    threading.Thread(target=run_job, args=(app, function.__name__, args)).start()


def run_job(app: Flask, name: str, args: tuple[str, ...]) -> None:
    """Run a registered job in its own thread, inside the app context."""
    with app.app_context():
        try:
            JOBS[name](*args)
        except Exception:
            logger.exception("The job %s failed", name)
{#- mail.py includes this without Celery: jobs run in a thread of the web worker. -#}
