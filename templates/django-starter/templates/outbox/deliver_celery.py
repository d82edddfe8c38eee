    tasks.send_email.delay(
        str(message.subject), str(message.body), message.from_email, message.to, message.reply_to
    )
{#- core/outbox.py includes this in deliver with Celery: a worker sends the message. -#}
