        # Hashing cost is for attackers, not for the test suite.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
        # Emails are kept in a list (mail.outbox) instead of sent.
        "EMAIL_URL": "memory://",
{#- tests/conftest.py includes this in the test settings with auth: cheap hashing, a mail outbox. -#}
