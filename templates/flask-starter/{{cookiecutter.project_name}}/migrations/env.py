"""Alembic environment: run migrations against the Flask app's database.

``flask db ...`` commands run this with the app context pushed; the models'
metadata is what ``flask db migrate`` and ``flask db check`` compare with.
"""

from alembic import context
from alembic.operations.ops import MigrationScript
from alembic.runtime.migration import MigrationContext
from flask import current_app

migrate = current_app.extensions["migrate"]
target_metadata = migrate.db.metadata


def run_migrations_offline() -> None:
    """Write the SQL to stdout (``flask db upgrade --sql``)."""
    url = migrate.db.engine.url.render_as_string(hide_password=False)
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        **migrate.configure_args,
    )
    with context.begin_transaction():
        context.run_migrations()


def skip_empty_revisions(
    migration_context: MigrationContext,
    revision: object,
    directives: list[MigrationScript],
) -> None:
    """``flask db migrate`` with no model change writes no empty revision."""
    autogenerate = getattr(context.config.cmd_opts, "autogenerate", False)
    upgrade_ops = directives[0].upgrade_ops
    if autogenerate and upgrade_ops is not None and upgrade_ops.is_empty():
        directives[:] = []
        print("No changes in the models: no revision written.")


def run_migrations_online() -> None:
    """Apply the migrations over a connection from the app's engine."""
    with migrate.db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            **{
                "process_revision_directives": skip_empty_revisions,
                **migrate.configure_args,
            },
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
