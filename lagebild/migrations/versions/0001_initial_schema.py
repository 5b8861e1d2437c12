"""Initial schema: imports and observations, as metadata.create_all wrote it before migrations existed."""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(200)),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("measure", sa.String(64), nullable=False),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("is_demo", sa.Boolean, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "observations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
        sa.Column("measure", sa.String(64), nullable=False),
        sa.Column("region", sa.String(12), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("grp", sa.String(32), nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("status", sa.String(8)),
        sa.Column("source", sa.String(500), nullable=False),
    )
    op.create_index("ix_obs_lookup", "observations", ["measure", "region", "date", "grp"])


def downgrade() -> None:
    op.drop_index("ix_obs_lookup", "observations")
    op.drop_table("observations")
    op.drop_table("imports")
