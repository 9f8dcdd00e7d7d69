"""Alembic environment: runs against the engine handed in by monitor.store.engine.upgrade."""

from __future__ import annotations

from alembic import context

from monitor.store.schema import metadata

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # `alembic` run by hand: take the URL from the ini / -x url=...
    from monitor.store.engine import make_engine

    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    engine = make_engine(url or "sqlite:///complaint-monitor.db")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
