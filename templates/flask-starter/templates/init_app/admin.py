    from . import admin

    admin.init_app(app)
{#- __init__.py includes this with the admin: Flask-Admin for admin users. -#}
