LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# New accounts are sent a link that verifies their email address (signed,
# valid for PASSWORD_RESET_TIMEOUT: 3 days). Until they follow it, login
# is refused unless ALLOW_UNVERIFIED_LOGIN is on. Off by default: an
# address nobody confirmed may belong to someone else, and password resets,
# notifications and the contact form's replies would go to that person.
ALLOW_UNVERIFIED_LOGIN = env_bool("ALLOW_UNVERIFIED_LOGIN")
{#- settings.py includes this with auth: where login sends people, and whether unverified accounts may log in. -#}
