from django.conf import settings
from django.core.mail import EmailMessage


def send_contact_message(name: str, email: str, message: str) -> None:
    """Forward a contact form message to CONTACT_EMAIL; replies go to its sender."""
    # Header values must stay on one line.
    name = " ".join(name.split())
    EmailMessage(
        subject=f"Contact form: {name}",
        body=f"From: {name} <{email}>\n\n{message}",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[settings.CONTACT_EMAIL],
        reply_to=[email],
    ).send()
