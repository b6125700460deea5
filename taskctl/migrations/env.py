"""Alembic environment: runs on the connection taskctl hands it (see taskctl.db.upgrade)."""

from alembic import context
from taskctl.models import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:  # `alembic` run by hand with a URL
        from sqlalchemy import create_engine

        connection = create_engine(context.config.get_main_option("sqlalchemy.url")).connect()
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
