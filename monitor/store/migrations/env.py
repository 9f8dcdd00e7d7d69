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
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # SQLite changes a column by copying the table and dropping the old one (Alembic's
        # batch mode), and with foreign keys enforced that DROP fails once another table's
        # rows point at it (a downgrade past 0006 with drafts, past 0009 with feeds). The
        # pragma only takes effect outside a transaction, so it is set before the migration
        # starts; the keys are checked once it is done and enforced again afterwards.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=sqlite,
    )
    try:
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration left rows whose foreign keys point "
                                       f"nowhere: {broken[:5]}")
    finally:
        if sqlite:
            connection.rollback()  # nothing is left open: the migration committed
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
