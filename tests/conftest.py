"""Shared fixtures: a migrated database on SQLite and on PostgreSQL, settings, a fixed clock.

PostgreSQL tests run in a schema of their own inside $COMPLAINT_MONITOR_TEST_PG_URL (default:
the local server's `test` database); they are skipped when no server answers, except under
CI=true, where a missing PostgreSQL fails the run.
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from monitor.config import FeedSettings, Settings, demo_settings

PG_URL = os.environ.get("COMPLAINT_MONITOR_TEST_PG_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _pg_available() -> bool:
    try:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def pg_available() -> bool:
    ok = _pg_available()
    if not ok and os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is not reachable at {PG_URL} (CI requires it)")
    return ok


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, pg_available: bool) -> Iterator[str]:
    """A database URL, on each backend in turn; an empty database, not yet migrated."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'monitor.db'}"
        return
    if not pg_available:
        pytest.skip("PostgreSQL not reachable")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        sep = "&" if "?" in PG_URL else "?"
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'monitor.db'}"


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def demo_app(db_url: str, clock: FakeClock, tmp_path: Path) -> Iterator[Any]:
    """An App on a migrated database with the demo feed polled once (60+ queued items)."""
    from monitor.app import App

    application = App(make_settings(db_url, base_dir=str(tmp_path)), environ={}, clock=clock)
    application.migrate()
    [result] = application.poll_all()
    assert result.ok and result.new >= 60
    yield application
    application.close()


def make_settings(db_url: str, *feeds: FeedSettings, base_dir: str = ".") -> Settings:
    base = demo_settings(base_dir)
    return dataclasses.replace(
        base,
        database=dataclasses.replace(base.database, url=db_url),
        feeds=feeds or base.feeds,
        scheduler=dataclasses.replace(base.scheduler, workers=2),
    )


def jsonl_feed(path: Path, name: str = "import", **options: object) -> FeedSettings:
    return FeedSettings(name=name, kind="jsonl", every=60.0,
                        options={"path": str(path), **options})
