"""Backup log: each `python -m lagebild backup`, so the Daten page can say when the store was last saved."""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "backups",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("file_name", sa.String(1000), nullable=False),
        sa.Column("user_name", sa.String(200)),
    )


def downgrade() -> None:
    op.drop_table("backups")
