# The admin's path: moving it off the default makes it harder to find.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/")
{#- settings.py includes this with the admin: the path it is served under. -#}
