    "signup": "5/h",
    # Sign-ups with one address (each emails its owner), whoever posts them.
    "signup_email": "3/h",
    "reset": "5/h",
    # Reset emails to one address, whoever asks for them.
    "reset_email": "3/h",
{#- core/throttling.py includes this in RATES with auth: the account forms' limits. -#}
