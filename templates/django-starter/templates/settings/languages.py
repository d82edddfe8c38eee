LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
]

LOCALE_PATHS = [PACKAGE_DIR / "locale"]
{#- settings.py includes this with i18n: the languages the site is translated into. -#}
