    with app.app_context():
        # A database that is not up yet is the workers' concern (and
        # /readyz's): the home page waits for them, without an error here.
        if not database_ready():
            pages = [page for page in PAGES if page != "/"]
{#- warmup.py includes this in warm_up with a database: the home page is left out while the database is down. -#}
