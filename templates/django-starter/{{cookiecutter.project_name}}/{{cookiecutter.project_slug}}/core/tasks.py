from celery import shared_task

from . import notifications


@shared_task
def send_contact_message(name, email, message):
    """Send the contact form's email from a worker, off the request."""
    notifications.send_contact_message(name, email, message)
