"""Engines and migrations: one place that knows SQLite and PostgreSQL differ.

SQLite gets WAL mode and a busy timeout so that a second process waits instead of failing;
PostgreSQL URLs are pointed at psycopg 3. Migrations run through Alembic's API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from monitor.errors import ConfigError, StoreError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
MIGRATION_LOCK = 0x636D6D67  # "cmmg": the advisory lock key migrations hold on PostgreSQL


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// and postgres:// URLs and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str, *, echo: bool = False) -> Engine:
    url = normalise_url(url)
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise ConfigError(f"not a database URL: {url!r}", key="database.url") from exc
    kwargs: dict[str, Any] = {"echo": echo, "future": True}
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        database = parsed.database
        if database and database != ":memory:" and not parsed.query.get("uri"):
            # Refused, not created: a typo in the folder once made a second, empty database
            # in a new folder, and the queue looked empty.
            folder = Path(database).expanduser().absolute().parent
            if not folder.is_dir():
                raise ConfigError(
                    f"the folder {folder} for the SQLite file {Path(database).name} does not "
                    "exist: create it, or fix the path", key="database.url")
    else:
        # Survive a restarted server: test connections before use.
        kwargs["pool_pre_ping"] = True
        # psycopg's prepared statements stay on (prepared after 5 runs; PostgreSQL may then
        # switch to a generic plan after 5 more). The reads are safe from generic plans:
        # psycopg drops every prepared statement at a ROLLBACK and each `engine.connect()`
        # ends in one, so a web request, which runs a statement a few times, plans each run
        # for its own values (measured on 100,000 mentions: 0 generic plans in 540
        # statements over 90 requests). Only a loop on one connection gets that far (`queue
        # list` pages, the label export, ingest's id lookups); one that can run while its
        # table grows needs a query shape no plan can scan with, as ingest.existing_ids has.
    try:
        engine = sa.create_engine(parsed, **kwargs)
    except (ImportError, sa.exc.ArgumentError) as exc:
        raise ConfigError(f"cannot use database {parsed.render_as_string()}: {exc}",
                          key="database.url") from exc
    if parsed.get_backend_name() == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to `revision` (idempotent)."""
    try:
        if engine.dialect.name == "postgresql":
            # Several daemons starting at once: one migrates, the others wait, then find
            # nothing left to do. The lock is the session's, released when it closes.
            with engine.connect() as conn:
                conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK})
                conn.commit()
                try:
                    command.upgrade(alembic_config(engine), revision)
                finally:
                    conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"),
                                 {"k": MIGRATION_LOCK})
                    conn.commit()
        else:
            command.upgrade(alembic_config(engine), revision)
    except OperationalError as exc:
        raise StoreError(f"cannot reach the database {describe(engine)}: {exc.orig}") from exc


def describe(engine: Engine) -> str:
    """The database URL with any password hidden, for messages and logs."""
    return engine.url.render_as_string(hide_password=True)
