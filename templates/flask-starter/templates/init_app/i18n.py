    from . import i18n

    i18n.init_app(app)
{#- __init__.py includes this with i18n: the translations and the language switcher. -#}
