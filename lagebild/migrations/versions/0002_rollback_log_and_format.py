"""Rollback log (import_events), the format each file was read as, and a lookup of imports by hash."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(200)),
    )
    with op.batch_alter_table("imports") as batch:
        batch.add_column(sa.Column("file_format", sa.String(200)))
        batch.create_index("ix_imports_sha256", ["sha256"])


def downgrade() -> None:
    with op.batch_alter_table("imports") as batch:
        batch.drop_index("ix_imports_sha256")
        batch.drop_column("file_format")
    op.drop_table("import_events")
