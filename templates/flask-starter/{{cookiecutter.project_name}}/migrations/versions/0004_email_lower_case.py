"""Email addresses in lower case only, so that the unique index makes them
unique whatever their case (``ADMIN@example.com`` can no longer sit next to
``admin@example.com``).

Existing addresses are put in lower case first; two accounts that differ only
by case stop the migration with their addresses, for a person to merge.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    users = sa.table(
        "users", sa.column("id", sa.Integer), sa.column("email", sa.String)
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(users.c.id, users.c.email)).all()
    emails = {user_id: str(email) for user_id, email in rows}
    seen: dict[str, str] = {}
    for email in emails.values():
        if email.lower() in seen:
            raise RuntimeError(
                f"Accounts {seen[email.lower()]!r} and {email!r} differ only by"
                " case: merge or delete one of them, then migrate again"
            )
        seen[email.lower()] = email
    for user_id, email in emails.items():
        if email != email.lower():
            connection.execute(
                users.update().where(users.c.id == user_id).values(email=email.lower())
            )
    with op.batch_alter_table("users") as batch:
        batch.create_check_constraint(
            op.f("ck_users_email_lower_case"), "email = lower(email)"
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("ck_users_email_lower_case"), type_="check")
