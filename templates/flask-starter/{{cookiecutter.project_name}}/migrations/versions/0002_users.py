"""Users, whatever the answers: accounts and the admin can be turned on later.

Projects made by webdev-new 0.1.0 may already have the table (their first
migration created it with accounts on, with the admin flag only with the
admin): what exists is kept and only what is missing is added.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    tables = sa.inspect(op.get_bind()).get_table_names()
    if "users" not in tables:
        op.create_table(
            "users",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("email", sa.String(length=255), nullable=False),
            sa.Column("password_hash", sa.String(length=255), nullable=False),
            sa.Column("is_admin", sa.Boolean(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        )
        op.create_index(op.f("ix_users_email"), "users", ["email"], unique=True)
        return
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("users")}
    if "is_admin" not in columns:
        with op.batch_alter_table("users") as batch:
            batch.add_column(
                sa.Column(
                    "is_admin", sa.Boolean(), nullable=False, server_default=sa.false()
                )
            )
        with op.batch_alter_table("users") as batch:
            batch.alter_column("is_admin", server_default=None)


def downgrade() -> None:
    op.drop_index(op.f("ix_users_email"), table_name="users")
    op.drop_table("users")
