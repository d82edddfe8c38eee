"""Whether each account's email address is verified (its owner followed the
link sent to it).

Accounts made before this migration count as verified: they were made when
no link was sent, and their owners must not be locked out.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column(
                "email_verified", sa.Boolean(), nullable=False, server_default=sa.true()
            )
        )
    with op.batch_alter_table("users") as batch:
        batch.alter_column("email_verified", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("email_verified")
