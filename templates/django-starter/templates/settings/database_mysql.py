elif DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
    # Options given in DATABASE_URL's query string (e.g. ?ssl-ca=... for TLS to
    # a managed server) win.
    DATABASES["default"]["OPTIONS"] = {
        "charset": "utf8mb4",
        "init_command": "SET sql_mode='STRICT_TRANS_TABLES'",
        **DATABASES["default"].get("OPTIONS", {}),
    }
    DATABASES["default"]["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}
{#- settings.py includes this with MySQL: the connection options, after SQLite's. -#}
