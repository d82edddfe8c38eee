"""The extension every page uses, created once here and bound in ``create_app``.

A feature's own extensions live in its module (the database, accounts,
translations), created and bound there.
"""

from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
