LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
{#- settings.py includes this with i18n: the language cookie gets the same protections as the session cookie. -#}
