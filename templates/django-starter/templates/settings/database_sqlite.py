DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
{#- settings.py includes this with SQLite: a file beside the project unless DATABASE_URL names another. -#}
