from django.conf import settings
from django.core.mail import send_mail


def send_contact_message(name, email, message):
    """Forward a contact form message to CONTACT_EMAIL, replying to its sender."""
    send_mail(
        subject=f"Contact form: {name}",
        message=f"From: {name} <{email}>\n\n{message}",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[settings.CONTACT_EMAIL],
    )
