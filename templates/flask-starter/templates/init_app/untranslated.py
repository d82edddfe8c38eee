    from . import untranslated

    untranslated.init_app(app)
{#- __init__.py includes this without i18n: a _() that returns its text. -#}
