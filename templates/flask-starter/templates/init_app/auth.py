    from . import auth

    auth.init_app(app)
{#- __init__.py includes this with auth: the accounts pages and the login manager. -#}
