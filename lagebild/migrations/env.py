"""Alembic environment: migrates the connection lagebild.store hands over, else the DATABASE_URL."""

import sqlalchemy as sa
from alembic import context

from lagebild import settings
from lagebild.store import metadata, normalise_url

config = context.config


def run(connection: sa.Connection) -> None:
    # SQLite cannot ALTER most things in place; batch mode copies the table instead.
    context.configure(
        connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite"
    )
    with context.begin_transaction():
        context.run_migrations()


url = normalise_url(config.get_main_option("sqlalchemy.url") or settings.database_url())
if context.is_offline_mode():
    context.configure(url=url, target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif config.attributes.get("connection") is not None:
    run(config.attributes["connection"])
else:
    with sa.create_engine(url).begin() as conn:
        run(conn)
