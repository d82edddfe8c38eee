elif DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
    # Options given in DATABASE_URL's query string (e.g. ?ssl-ca=... for TLS to
    # a managed server) win.
    DATABASES["default"]["OPTIONS"] = {
        "charset": "utf8mb4",
        "init_command": "SET sql_mode='STRICT_TRANS_TABLES'",
        **DATABASES["default"].get("OPTIONS", {}),
    }
    DATABASES["default"]["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"}

# MariaDB has no unique index on an expression such as the user model's
# lower-cased email, and says so at every migrate. It needs none: its
# utf8mb4 collations ignore case, so the email column's own unique index
# already refuses an address that differs only by case (MySQL 8 gets both).
SILENCED_SYSTEM_CHECKS = ["models.W044"]
{#- settings.py includes this with MySQL: the connection options (after SQLite's) and the system check MariaDB cannot pass. -#}
