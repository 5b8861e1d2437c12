"""Audit trail: every sign-in, role change, import, rollback and refused attempt, with who, role and outcome.

Names in the import history become what the screen shows: the command line's plain login names get the words the
history always put around them, so a person's name from a sign-in cannot be mistaken for a login.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

WEB_USER = "Web-Oberfläche"
PREFIX = "Kommandozeile"


def upgrade() -> None:
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(300), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(1000)),
        sa.Column("sha256", sa.String(64)),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text),
    )
    for table in ("imports", "import_events"):
        op.execute(
            sa.text(
                f"UPDATE {table} SET user_name = :prefix || ' (Benutzer ' || user_name || ')' "
                "WHERE user_name IS NOT NULL AND user_name <> :web AND user_name NOT LIKE :like"
            ).bindparams(prefix=PREFIX, web=WEB_USER, like=PREFIX + "%")
        )


def downgrade() -> None:
    op.drop_table("audit")
